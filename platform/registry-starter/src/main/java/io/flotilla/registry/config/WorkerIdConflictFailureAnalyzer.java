package io.flotilla.registry.config;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Says how to choose between a configured worker id and one leased from the registry. */
class WorkerIdConflictFailureAnalyzer extends AbstractFailureAnalyzer<WorkerIdConflictException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, WorkerIdConflictException cause) {
        return new FailureAnalysis("flotilla.id.worker-id is set to " + cause.workerId() + ", but with "
                + "flotilla-registry-spring-boot-starter present the id generator leases its worker id from the "
                + "registry, so the configured one would not be used.",
                "Remove flotilla.id.worker-id to lease the worker id from the registry (unique across instances), or "
                        + "set flotilla.registry.id.enabled=false to use flotilla.id.worker-id=" + cause.workerId()
                        + " as configured.",
                cause);
    }
}
