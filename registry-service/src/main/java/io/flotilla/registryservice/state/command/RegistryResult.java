package io.flotilla.registryservice.state.command;

import java.util.List;

/** What applying a command answered. */
public sealed interface RegistryResult {

    /**
     * Applied at {@code index}. {@code key} is the key created by {@link RegistryCommand.KvCreateSequential}
     * (empty otherwise); {@code leaseIds} the lease granted, revoked or expired (empty otherwise).
     */
    record Ok(long index, String key, List<Long> leaseIds) implements RegistryResult {

        public Ok {
            leaseIds = List.copyOf(leaseIds);
        }

        public static Ok at(long index) {
            return new Ok(index, "", List.of());
        }
    }

    /** Not applied; nothing changed. */
    record Refused(Reason reason, String message) implements RegistryResult {
    }

    enum Reason {
        INVALID_INPUT, CAS_MISMATCH, UNKNOWN_LEASE, NOT_FOUND
    }
}
