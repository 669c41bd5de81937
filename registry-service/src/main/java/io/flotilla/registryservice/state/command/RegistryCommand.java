package io.flotilla.registryservice.state.command;

import java.util.List;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * The writes that go through the log. Heartbeats are not commands: lease deadlines live on the leader, which
 * proposes {@link ExpireLeases} when its timers fire.
 */
public sealed interface RegistryCommand {

    /** {@code expectedModIndex} value meaning "write whatever is there". */
    long ANY_VERSION = -1;

    /** Registers or updates (same service and instanceId) an instance; {@code leaseId} 0 means no lease. */
    record RegisterInstance(String service, String instanceId, String host, int port, boolean secure,
                            Map<String, String> metadata, String zone, int weight, long leaseId)
            implements RegistryCommand {

        public RegisterInstance {
            metadata = Collections.unmodifiableMap(new TreeMap<>(metadata));
        }
    }

    record DeregisterInstance(String service, String instanceId) implements RegistryCommand {
    }

    /** The lease id will be the log index of this command. */
    record GrantLease(long ttlMillis) implements RegistryCommand {
    }

    record RevokeLease(long leaseId) implements RegistryCommand {
    }

    /** Proposed by the leader for leases whose TTL ran out; ids no longer present are skipped. */
    record ExpireLeases(List<Long> leaseIds) implements RegistryCommand {

        public ExpireLeases {
            leaseIds = List.copyOf(leaseIds);
        }
    }

    /**
     * Writes a key. {@code expectedModIndex}: {@link #ANY_VERSION} writes unconditionally, 0 creates only if
     * absent, any other value writes only if the key's modIndex equals it.
     */
    record KvPut(String key, byte[] value, long expectedModIndex, long leaseId) implements RegistryCommand {
    }

    /** Deletes a key, only if its modIndex equals {@code expectedModIndex} unless that is {@link #ANY_VERSION}. */
    record KvDelete(String key, long expectedModIndex) implements RegistryCommand {
    }

    /** Creates {@code prefix/<log index, 20 digits>}, so keys under one prefix sort in creation order. */
    record KvCreateSequential(String prefix, byte[] value, long leaseId) implements RegistryCommand {
    }
}
