package io.flotilla.raft.server;

/**
 * A node's settings cannot work (a peer list without this node, duplicate ids, a port mismatch): start-up stops
 * with this, and {@code RaftServerFailureAnalyzer} tells the operator which property to change.
 */
public class RaftServerConfigurationException extends IllegalStateException {

    private final String property;
    private final String action;

    /**
     * @param property the full name of the property at fault, e.g. {@code flotilla.registry.server.peers}
     * @param problem  what is wrong, in one sentence
     * @param action   what to change
     */
    public RaftServerConfigurationException(String property, String problem, String action) {
        super(problem);
        this.property = property;
        this.action = action;
    }

    public String property() {
        return property;
    }

    public String action() {
        return action;
    }
}
