package io.flotilla.raft;

/** What the state machine answered to a query, and the applied index of the state it was answered from. */
public record ReadResult(byte[] result, long appliedIndex) {
}
