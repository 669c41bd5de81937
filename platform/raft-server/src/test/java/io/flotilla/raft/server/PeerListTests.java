package io.flotilla.raft.server;

import io.flotilla.raft.ClusterConfig;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PeerListTests {

    private static RaftServerProperties node(String id, int raftPort, String... peers) {
        RaftServerProperties properties = new RaftServerProperties();
        properties.setNodeId(id);
        properties.setRaftPort(raftPort);
        properties.setPeers(List.of(peers));
        return properties;
    }

    @Test
    void noPeersIsASingleNodeClusterOfThisNode() {
        ClusterConfig config = PeerList.initialConfig(node("n1", 9500), "p");
        assertThat(config.members()).containsExactly(new ClusterConfig.Member("n1", "127.0.0.1:9500"));
    }

    @Test
    void aJoiningNodeKnowsTheRunningMembersButIsNotOneYet() {
        RaftServerProperties joining = node("n4", 9503, "n1@h:9500", "n2@h:9501", "n4@h:9503");
        joining.setJoining(true);
        assertThat(PeerList.initialConfig(joining, "p").members()).extracting(ClusterConfig.Member::id)
                .containsExactly("n1", "n2");
    }

    @Test
    void aNodeMissingFromItsPeerListIsRefusedUnlessJoining() {
        assertThatThrownBy(() -> PeerList.initialConfig(node("n4", 9503, "n1@h:9500", "n2@h:9501"), "p"))
                .isInstanceOf(RaftServerConfigurationException.class)
                .hasMessageContaining("'n4' is not in p.peers ([n1, n2])")
                .extracting(e -> ((RaftServerConfigurationException) e).property()).isEqualTo("p.peers");
    }

    @Test
    void duplicateIdsAndAddressesAreRefused() {
        assertThatThrownBy(() -> PeerList.initialConfig(node("n1", 9500, "n1@h:9500", "n1@h:9501"), "p"))
                .hasMessageContaining("Node id 'n1' appears twice");
        assertThatThrownBy(() -> PeerList.initialConfig(node("n1", 9500, "n1@h:9500", "n2@h:9500"), "p"))
                .hasMessageContaining("Address h:9500 appears twice");
    }

    @Test
    void aRaftPortThatDisagreesWithThisNodesEntryIsRefused() {
        assertThatThrownBy(() -> PeerList.initialConfig(node("n1", 9999, "n1@h:9500", "n2@h:9501"), "p"))
                .isInstanceOf(RaftServerConfigurationException.class)
                .hasMessageContaining("p.raft-port is 9999");
    }

    @Test
    void anUnreadablePeerNamesTheForm() {
        assertThatThrownBy(() -> PeerList.initialConfig(node("n1", 9500, "n1@h:9500", "h:9501"), "p"))
                .hasMessageContaining("Peer 'h:9501' cannot be read");
    }
}
