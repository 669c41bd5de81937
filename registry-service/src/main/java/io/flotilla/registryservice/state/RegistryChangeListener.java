package io.flotilla.registryservice.state;

import java.util.List;
import java.util.Map;

/**
 * Told, on the Raft event loop during apply, what a command changed, so that blocking queries can be woken.
 * Must return quickly and must not touch the state machine.
 */
public interface RegistryChangeListener {

    RegistryChangeListener NONE = new RegistryChangeListener() {
        @Override
        public void serviceChanged(long index, String service) {
        }

        @Override
        public void keyChanged(long index, String key) {
        }
    };

    /** An instance of {@code service} was registered, updated or removed at {@code index}. */
    void serviceChanged(long index, String service);

    /** {@code key} was written or deleted at {@code index}. */
    void keyChanged(long index, String key);

    /**
     * The whole state was replaced by a snapshot (a follower that fell behind the compacted log): anything
     * may have changed, so every watcher should re-read.
     */
    default void stateReplaced(long lastChangeIndex) {
    }

    /** A lease was granted (its id is {@code index}); the leader's timers start tracking it. */
    default void leaseGranted(long leaseId, long ttlMillis) {
    }

    /** A lease was revoked or expired. */
    default void leaseRemoved(long leaseId) {
    }

    /** An instance was registered or updated. */
    default void instanceRegistered(Instance instance) {
    }

    /** An instance was deregistered or went with its lease. */
    default void instanceRemoved(String service, String instanceId) {
    }

    /**
     * A snapshot was restored; called just before {@link #stateReplaced} with every lease ({@code id -> TTL in
     * ms}) and instance it holds, so that trackers built from the events above can start over.
     */
    default void restored(Map<Long, Long> leaseTtls, List<Instance> instances) {
    }
}
