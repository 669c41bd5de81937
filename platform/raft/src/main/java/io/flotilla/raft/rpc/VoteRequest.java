package io.flotilla.raft.rpc;

/**
 * RequestVote, and its pre-vote probe. A pre-vote carries the term the candidate <em>would</em> use and
 * changes no state at the receiver; only when a majority would vote does the candidate bump its term.
 * {@code leadershipTransfer} lets the transfer target bypass the receivers' leader-stickiness check.
 */
public record VoteRequest(String from, String to, long term, long lastLogIndex, long lastLogTerm,
                          boolean preVote, boolean leadershipTransfer) implements RaftMessage {
}
