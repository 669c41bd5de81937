package io.flotilla.raft.client;

/** HTTP header names shared by the Raft-backed services and their clients (and the participants they call). */
public final class FlotillaHeaders {

    /** The Raft index a read was answered at, or a write was committed at. */
    public static final String INDEX = "X-Flotilla-Index";

    /** Set by a follower on a request it forwards to the leader: its node id. A request is forwarded once. */
    public static final String FORWARDED_BY = "X-Flotilla-Forwarded-By";

    /** HMAC-SHA256 signature of a service-to-service call (see {@link RequestSignature}), base64. */
    public static final String SIGNATURE = "X-Flotilla-Signature";

    /** When a signed call was signed: milliseconds since the epoch; receivers refuse calls too far from their clock. */
    public static final String SIGNATURE_TIMESTAMP = "X-Flotilla-Signature-Timestamp";

    /** A signed call's random nonce; a receiver refuses a nonce it has already seen. */
    public static final String SIGNATURE_NONCE = "X-Flotilla-Signature-Nonce";

    private FlotillaHeaders() {
    }
}
