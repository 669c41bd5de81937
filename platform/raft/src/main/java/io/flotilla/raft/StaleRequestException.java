package io.flotilla.raft;

/**
 * The request's sequence number is older than the last one applied for its client session, so its result
 * is no longer cached; the client had already moved on from it.
 */
public class StaleRequestException extends RaftException {

    private final long lastApplied;

    public StaleRequestException(String clientId, long sequence, long lastApplied) {
        super("request " + sequence + " of client " + clientId + " is older than the last applied one ("
                + lastApplied + ")");
        this.lastApplied = lastApplied;
    }

    /** The session's last applied sequence number. */
    public long lastApplied() {
        return lastApplied;
    }
}
