package io.flotilla.raft;

import java.util.Objects;

/**
 * This node is not the leader; {@code leaderId}/{@code leaderAddress} name the node it last heard from as
 * leader, where the caller should retry. When a write fails this way after it was accepted, its outcome is
 * unknown: it may still commit. Retrying with the same {@link ClientRequest} session is safe.
 */
public class NotLeaderException extends RaftException {

    private final String leaderId;
    private final String leaderAddress;

    public NotLeaderException(String leaderId, String leaderAddress) {
        super("not the leader; leader is " + leaderId + " at " + leaderAddress);
        this.leaderId = Objects.requireNonNull(leaderId, "leaderId");
        this.leaderAddress = Objects.requireNonNull(leaderAddress, "leaderAddress");
    }

    public String leaderId() {
        return leaderId;
    }

    public String leaderAddress() {
        return leaderAddress;
    }
}
