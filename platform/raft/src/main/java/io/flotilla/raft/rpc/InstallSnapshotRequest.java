package io.flotilla.raft.rpc;

/**
 * One chunk of a snapshot sent to a follower whose next entry has been compacted away. {@code config} is
 * the encoded {@link io.flotilla.raft.ClusterConfig} in force at {@code lastIncludedIndex}.
 */
public record InstallSnapshotRequest(String from, String to, long term, long lastIncludedIndex,
                                     long lastIncludedTerm, byte[] config, long offset, byte[] chunk,
                                     boolean done) implements RaftMessage {
}
