package io.flotilla.txcoordinator.state;

/**
 * Told on the Raft event loop, during apply, of every transaction that changed: the hook that wakes the
 * phase-two driver and callers waiting for an outcome. Must return quickly and never block.
 */
public interface TxChangeListener {

    TxChangeListener NONE = new TxChangeListener() {
        @Override
        public void changed(long index, Transaction transaction) {
        }

        @Override
        public void stateReplaced() {
        }
    };

    void changed(long index, Transaction transaction);

    /** A snapshot replaced the whole state (a follower caught up, or a restart). */
    void stateReplaced();
}
