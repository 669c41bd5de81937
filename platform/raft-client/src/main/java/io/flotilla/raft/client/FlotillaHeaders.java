package io.flotilla.raft.client;

/** HTTP header names shared by the Raft-backed services and their clients. */
public final class FlotillaHeaders {

    /** The Raft index a read was answered at, or a write was committed at. */
    public static final String INDEX = "X-Flotilla-Index";

    /** Set by a follower on a request it forwards to the leader: its node id. A request is forwarded once. */
    public static final String FORWARDED_BY = "X-Flotilla-Forwarded-By";

    private FlotillaHeaders() {
    }
}
