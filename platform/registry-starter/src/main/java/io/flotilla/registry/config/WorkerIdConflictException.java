package io.flotilla.registry.config;

/**
 * {@code flotilla.id.worker-id} is set while the worker id is leased from the registry: one of the two would be
 * ignored, and a fixed id beside leased ones could equal a slot another instance leased.
 */
public class WorkerIdConflictException extends IllegalStateException {

    private final String workerId;

    public WorkerIdConflictException(String workerId) {
        super("flotilla.id.worker-id=" + workerId + " is set, but the worker id is leased from the registry "
                + "(flotilla.registry.id.enabled=true)");
        this.workerId = workerId;
    }

    public String workerId() {
        return workerId;
    }
}
