package io.flotilla.raft.server;

import io.flotilla.raft.ClusterConfig;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MemberAddressTests {

    @Test
    void aRaftAddressAloneNamesNoHttpPortAndNothingIsGuessed() {
        MemberAddress address = MemberAddress.parse("10.0.0.1:9500");
        assertThat(address.raftAddress()).isEqualTo("10.0.0.1:9500");
        assertThat(address.httpUrlHint()).isEmpty();
        assertThat(address).hasToString("10.0.0.1:9500");
    }

    @Test
    void theOlderFormWithAnHttpPortIsStillRead() {
        MemberAddress address = MemberAddress.parse("registry-2:19500/18080");
        assertThat(address.host()).isEqualTo("registry-2");
        assertThat(address.raftPort()).isEqualTo(19500);
        assertThat(address.httpUrlHint()).contains("http://registry-2:18080");
        assertThat(address).hasToString("registry-2:19500/18080");
    }

    @Test
    void peerBecomesAMemberWithTheCanonicalAddress() {
        assertThat(MemberAddress.parsePeer("n2@127.0.0.1:9501"))
                .isEqualTo(new ClusterConfig.Member("n2", "127.0.0.1:9501"));
        assertThat(MemberAddress.parsePeer(" n3 @ 127.0.0.1:9502 "))
                .isEqualTo(new ClusterConfig.Member("n3", "127.0.0.1:9502"));
    }

    @Test
    void malformedAddressesAreRefused() {
        assertThatThrownBy(() -> MemberAddress.parse("nohost")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MemberAddress.parse("h:x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MemberAddress.parse("h:70000")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MemberAddress.parse("h:900/70000")).hasMessageContaining("HTTP port");
        assertThatThrownBy(() -> MemberAddress.parsePeer("127.0.0.1:9500")).hasMessageContaining("id@host");
    }
}
