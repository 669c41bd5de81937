package io.flotilla.raft.server;

import io.flotilla.raft.client.RaftProblemType;
import io.flotilla.raft.client.WriteOutcome;

/**
 * A request failed because of the cluster, not because of the request: no leader, lost leadership, a time-out,
 * a stopped node. Carries the problem type and, for a write, what the client may conclude about it
 * ({@link WriteOutcome}); {@link RaftProblems} turns it into a 503 with {@code Retry-After}.
 */
public class RaftUnavailableException extends RuntimeException {

    private final RaftProblemType type;
    private final WriteOutcome outcome;

    public RaftUnavailableException(RaftProblemType type, WriteOutcome outcome, String detail, Throwable cause) {
        super(detail, cause);
        this.type = type;
        this.outcome = outcome;
    }

    public RaftProblemType type() {
        return type;
    }

    public WriteOutcome outcome() {
        return outcome;
    }
}
