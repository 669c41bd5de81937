package io.flotilla.registryservice.console;

import io.flotilla.registry.api.KvEntry;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class LockViewTests {

    private static final String PREFIX = "flotilla/locks/";

    @Test
    void theLowestContenderHoldsWithItsCreateIndexAsTokenAndTheOthersWaitInOrder() {
        List<LockView> locks = LockView.of(PREFIX, List.of(
                entry("flotilla/locks/orders/00000000000000000007", "a", 7, 3),
                entry("flotilla/locks/orders/00000000000000000009", "b", 9, 4),
                entry("flotilla/locks/orders/00000000000000000012", "c", 12, 5),
                entry("flotilla/locks/stock/FLT-MUG/00000000000000000010", "d", 10, 6)),
                leaseId -> "lease " + leaseId);

        assertThat(locks).containsExactly(
                new LockView("orders", "a", 7, "lease 3", List.of("b", "c")),
                new LockView("stock/FLT-MUG", "d", 10, "lease 6", List.of()));
    }

    @Test
    void keysThatAreNotContendersAreLeftOut() {
        assertThat(LockView.of(PREFIX, List.of(entry("flotilla/locks/orders", "x", 1, 0),
                entry("flotilla/locks/orders/123", "y", 2, 0)), leaseId -> "")).isEmpty();
    }

    @Test
    void valuesArePreviewedAsTextOrBySize() {
        assertThat(KvController.preview("hello".getBytes(StandardCharsets.UTF_8))).isEqualTo("hello");
        assertThat(KvController.preview(new byte[] {(byte) 0xff, 0x00})).isEqualTo("(2 bytes, not UTF-8)");
        assertThat(KvController.preview("x".repeat(300).getBytes(StandardCharsets.UTF_8))).hasSize(201).endsWith("…");
    }

    private static KvEntry entry(String key, String value, long index, long leaseId) {
        return new KvEntry(key, value.getBytes(StandardCharsets.UTF_8), index, index, leaseId);
    }
}
