package io.flotilla.raft.rpc;

/**
 * Answer to {@link AppendEntriesRequest}. On success {@code matchIndex} is the last index known to match
 * the leader's log. On a mismatch {@code conflictTerm}/{@code conflictIndex} let the leader skip a whole
 * term of entries at once (fast back-off): {@code conflictTerm} is the follower's term at
 * {@code prevLogIndex} (0 when the follower's log is too short) and {@code conflictIndex} the first index
 * the follower holds with that term (or its last index + 1).
 */
public record AppendEntriesResponse(String from, String to, long term, boolean success, long matchIndex,
                                    long conflictIndex, long conflictTerm, long readContext)
        implements RaftMessage {
}
