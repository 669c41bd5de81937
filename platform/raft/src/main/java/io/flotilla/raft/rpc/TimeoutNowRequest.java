package io.flotilla.raft.rpc;

/** Leader transfer: tells an up-to-date follower to start an election at once. */
public record TimeoutNowRequest(String from, String to, long term) implements RaftMessage {
}
