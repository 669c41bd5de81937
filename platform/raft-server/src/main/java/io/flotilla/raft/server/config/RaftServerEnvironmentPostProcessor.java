package io.flotilla.raft.server.config;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

import java.util.Map;

/**
 * Defaults every Raft-backed service needs, below anything the application sets: the Kubernetes-style probe
 * groups on, and the {@code raft} indicator in the readiness group, so readiness means "can serve now".
 */
public class RaftServerEnvironmentPostProcessor implements EnvironmentPostProcessor {

    static final String SOURCE_NAME = "flotillaRaftServerDefaults";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        environment.getPropertySources().addLast(new MapPropertySource(SOURCE_NAME, Map.of(
                "management.endpoint.health.probes.enabled", "true",
                "management.endpoint.health.group.readiness.include", "readinessState,raft",
                "management.endpoint.health.group.liveness.include", "livenessState")));
    }
}
