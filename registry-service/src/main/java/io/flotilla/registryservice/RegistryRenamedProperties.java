package io.flotilla.registryservice;

import io.flotilla.raft.server.config.RenamedPropertyPrefix;

import org.springframework.boot.logging.DeferredLogFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * The registry server's settings moved from {@code flotilla.registry.*} (now the client starter's prefix) to
 * {@code flotilla.registry.server.*}; the old names keep working for this release with a warning.
 */
public class RegistryRenamedProperties extends RenamedPropertyPrefix {

    public RegistryRenamedProperties(DeferredLogFactory logs) {
        super(logs, RegistryServiceApplication.class, "flotilla.registry", RegistryProperties.PREFIX, names());
    }

    private static List<String> names() {
        List<String> names = new ArrayList<>(raftServerNames());
        names.addAll(List.of("default-ttl", "max-ttl", "default-wait", "max-wait", "lease-check-interval",
                "health-check-interval", "health-check-timeout"));
        return names;
    }
}
