package io.flotilla.raft.server;

/**
 * Whether a node can serve a request now, and if not, why: it knows a leader, has applied what that leader had
 * committed when it learned of it, can reach the leader's HTTP address, and has published its own.
 */
public record RaftReadiness(boolean ready, String reason) {

    static final RaftReadiness READY = new RaftReadiness(true, "serving");

    static RaftReadiness notReady(String reason) {
        return new RaftReadiness(false, reason);
    }
}
