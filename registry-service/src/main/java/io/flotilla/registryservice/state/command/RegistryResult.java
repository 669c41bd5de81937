package io.flotilla.registryservice.state.command;

import java.util.List;

/** What applying a command answered. */
public sealed interface RegistryResult {

    /**
     * Applied at {@code index}. {@code key} is the key created by {@link RegistryCommand.KvCreateSequential}
     * (empty otherwise) and {@code predecessor} the key just before it under the same prefix when it was created
     * (empty when it was the first, or for other commands); {@code leaseIds} the lease granted, revoked or expired
     * (empty otherwise).
     */
    record Ok(long index, String key, String predecessor, List<Long> leaseIds) implements RegistryResult {

        public Ok {
            leaseIds = List.copyOf(leaseIds);
        }

        public static Ok at(long index) {
            return new Ok(index, "", "", List.of());
        }

        public static Ok withLeases(long index, List<Long> leaseIds) {
            return new Ok(index, "", "", leaseIds);
        }
    }

    /** Not applied; nothing changed. */
    record Refused(Reason reason, String message) implements RegistryResult {
    }

    enum Reason {
        INVALID_INPUT, CAS_MISMATCH, UNKNOWN_LEASE, NOT_FOUND
    }
}
