package io.flotilla.registry.state;

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
}
