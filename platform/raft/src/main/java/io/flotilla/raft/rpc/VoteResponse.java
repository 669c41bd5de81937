package io.flotilla.raft.rpc;

/** Answer to a {@link VoteRequest}; {@code preVote} echoes the request's kind. */
public record VoteResponse(String from, String to, long term, boolean granted, boolean preVote)
        implements RaftMessage {
}
