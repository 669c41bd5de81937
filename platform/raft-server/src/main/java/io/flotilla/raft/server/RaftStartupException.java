package io.flotilla.raft.server;

/**
 * The Raft node stopped while starting (most often: its Raft port could not be bound). Thrown from
 * {@link RaftServer#start()}, so the application context fails to start and the process exits non-zero instead
 * of serving as a node that can never take part; {@code RaftServerFailureAnalyzer} explains it.
 */
public class RaftStartupException extends IllegalStateException {

    private final String nodeId;
    private final String bindAddress;
    private final String propertyPrefix;

    public RaftStartupException(String nodeId, String bindAddress, String propertyPrefix, Throwable cause) {
        super("Raft node " + nodeId + " could not start on " + bindAddress + ": " + cause.getMessage(), cause);
        this.nodeId = nodeId;
        this.bindAddress = bindAddress;
        this.propertyPrefix = propertyPrefix;
    }

    public String nodeId() {
        return nodeId;
    }

    /** {@code host:port} the transport tried to listen on. */
    public String bindAddress() {
        return bindAddress;
    }

    /** Prefix of the node's properties, e.g. {@code flotilla.coordinator}. */
    public String propertyPrefix() {
        return propertyPrefix;
    }
}
