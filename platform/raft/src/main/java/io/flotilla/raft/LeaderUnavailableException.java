package io.flotilla.raft;

/**
 * No leader is known right now (an election or a leadership transfer is in progress). Transient: retry
 * after about one election timeout (services map it to 503 with Retry-After).
 */
public class LeaderUnavailableException extends RaftException {

    public LeaderUnavailableException(String message) {
        super(message);
    }
}
