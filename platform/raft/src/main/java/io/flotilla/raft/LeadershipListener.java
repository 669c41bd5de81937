package io.flotilla.raft;

/**
 * Told when this node gains or loses leadership, on the node's event loop: implementations must return
 * quickly and hand real work to their own threads. Leader-local timers (lease expiry, transaction phase
 * two) start on {@link #onBecameLeader} and stop on {@link #onLostLeadership}.
 */
public interface LeadershipListener {

    void onBecameLeader(long term);

    void onLostLeadership(long term);
}
