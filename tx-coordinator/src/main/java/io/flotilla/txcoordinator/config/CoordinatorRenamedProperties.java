package io.flotilla.txcoordinator.config;

import io.flotilla.raft.server.config.RenamedPropertyPrefix;

import java.util.ArrayList;
import java.util.List;

/**
 * The coordinator's settings moved from {@code flotilla.tx.*} (now the tx starter's prefix) to
 * {@code flotilla.coordinator.*}; the old names keep working for this release with a warning.
 */
public final class CoordinatorRenamedProperties {

    private CoordinatorRenamedProperties() {
    }

    public static RenamedPropertyPrefix listener() {
        List<String> names = new ArrayList<>(RenamedPropertyPrefix.raftServerNames());
        names.addAll(List.of("default-timeout", "timeout-sweep-interval", "retention", "retention-limit", "phase-two.initial-backoff",
                "phase-two.max-backoff", "phase-two.alert-after-attempts", "phase-two.call-timeout",
                "phase-two.reconcile-interval"));
        return new RenamedPropertyPrefix("flotilla.tx", CoordinatorProperties.PREFIX, names);
    }
}
