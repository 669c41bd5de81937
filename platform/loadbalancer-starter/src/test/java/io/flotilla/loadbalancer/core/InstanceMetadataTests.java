package io.flotilla.loadbalancer.core;

import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class InstanceMetadataTests {

    @Test
    void onlyUpOrAbsentStatusIsEligible() {
        assertThat(InstanceMetadata.isEligible(Map.of())).isTrue();
        assertThat(InstanceMetadata.isEligible(null)).isTrue();
        assertThat(InstanceMetadata.isEligible(Map.of("status", "UP"))).isTrue();
        assertThat(InstanceMetadata.isEligible(Map.of("status", "up"))).isTrue();
        for (String status : new String[] {"DOWN", "DRAINING", "OUT_OF_SERVICE", "STARTING", "UNKNOWN", ""}) {
            assertThat(InstanceMetadata.isEligible(Map.of("status", status))).as(status).isFalse();
        }
    }

    @Test
    void readsValidWeights() {
        InstanceMetadata metadata = new InstanceMetadata();
        assertThat(metadata.weight("a", Map.of())).isEqualTo(1);
        assertThat(metadata.weight("a", Map.of("weight", "7"))).isEqualTo(7);
        assertThat(metadata.weight("a", Map.of("weight", " 10000 "))).isEqualTo(10_000);
        assertThat(metadata.warningsLogged()).isZero();
    }

    @Test
    void ignoresInvalidWeightsAndWarnsOncePerInstanceAndValue() {
        InstanceMetadata metadata = new InstanceMetadata();
        for (int i = 0; i < 3; i++) {
            assertThat(metadata.weight("a", Map.of("weight", "heavy"))).isEqualTo(1);
            assertThat(metadata.weight("a", Map.of("weight", "0"))).isEqualTo(1);
            assertThat(metadata.weight("a", Map.of("weight", "-4"))).isEqualTo(1);
            assertThat(metadata.weight("a", Map.of("weight", "2.5"))).isEqualTo(1);
            assertThat(metadata.weight("b", Map.of("weight", "10001"))).isEqualTo(1);
        }
        assertThat(metadata.warningsLogged()).isEqualTo(5);
    }
}
