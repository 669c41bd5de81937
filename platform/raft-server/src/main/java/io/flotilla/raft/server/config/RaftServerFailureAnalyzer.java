package io.flotilla.raft.server.config;

import io.flotilla.raft.server.RaftServerConfigurationException;
import io.flotilla.raft.server.RaftStartupException;

import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;

import java.net.BindException;

/**
 * Explains why a Raft node did not start, as Spring Boot does for a taken {@code server.port}: a Raft port that
 * cannot be bound (taken, or an address not of this machine) names the port and the properties to change; settings
 * that cannot work name the property at fault.
 */
public class RaftServerFailureAnalyzer implements FailureAnalyzer {

    @Override
    public FailureAnalysis analyze(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof RaftStartupException startup) {
                return analyzeStartup(startup);
            }
            if (cause instanceof RaftServerConfigurationException configuration) {
                return new FailureAnalysis(configuration.getMessage() + " (" + configuration.property() + ")",
                        configuration.action(), configuration);
            }
        }
        return null;
    }

    private static FailureAnalysis analyzeStartup(RaftStartupException startup) {
        String prefix = startup.propertyPrefix();
        BindException bind = bindFailure(startup);
        if (bind == null) {
            return new FailureAnalysis("Raft node " + startup.nodeId() + " stopped while starting: "
                    + startup.getCause(), "Read the error above; the node's data directory (" + prefix
                    + ".data-dir) may be damaged or locked by another process.", startup);
        }
        String port = startup.bindAddress().substring(startup.bindAddress().lastIndexOf(':') + 1);
        String message = String.valueOf(bind.getMessage());
        if (message.contains("in use")) {
            return new FailureAnalysis("Raft node " + startup.nodeId() + " could not listen for Raft traffic on "
                    + startup.bindAddress() + ": port " + port + " is already in use.",
                    "Stop the process that listens on port " + port + " (perhaps another node of this cluster), or "
                            + "give this node another port with " + prefix + ".raft-port and its entry in "
                            + prefix + ".peers.", startup);
        }
        return new FailureAnalysis("Raft node " + startup.nodeId() + " could not listen for Raft traffic on "
                + startup.bindAddress() + ": " + message + ".",
                "Set " + prefix + ".raft-host to an address of this machine (or 0.0.0.0 for all), and this node's "
                        + "entry in " + prefix + ".peers to the address its peers reach it at.", startup);
    }

    private static BindException bindFailure(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof BindException bind) {
                return bind;
            }
        }
        return null;
    }
}
