package io.flotilla.registryservice;

import io.flotilla.raft.server.config.RenamedPropertyPrefix;

import java.util.ArrayList;
import java.util.List;

/**
 * The registry server's settings moved from {@code flotilla.registry.*} (now the client starter's prefix) to
 * {@code flotilla.registry.server.*}; the old names keep working for this release with a warning.
 */
final class RegistryRenamedProperties {

    private RegistryRenamedProperties() {
    }

    static RenamedPropertyPrefix listener() {
        List<String> names = new ArrayList<>(RenamedPropertyPrefix.raftServerNames());
        names.addAll(List.of("default-ttl", "max-ttl", "default-wait", "max-wait", "lease-check-interval",
                "health-check-interval", "health-check-timeout"));
        return new RenamedPropertyPrefix("flotilla.registry", RegistryProperties.PREFIX, names);
    }
}
