package io.flotilla.raft;

/** What the state machine answered to a command, and the log index it was applied at (a version stamp). */
public record CommandResult(byte[] result, long index) {
}
