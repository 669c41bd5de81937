package io.flotilla.raft.rpc;

/**
 * Answer to an {@link InstallSnapshotRequest} chunk: {@code nextOffset} is where the follower wants the
 * next chunk to start; {@code success} false asks the leader to restart the transfer from offset 0.
 */
public record InstallSnapshotResponse(String from, String to, long term, long lastIncludedIndex,
                                      long nextOffset, boolean success) implements RaftMessage {
}
