package io.flotilla.txcoordinator.config;

import io.flotilla.raft.server.config.RenamedPropertyPrefix;
import io.flotilla.txcoordinator.TxCoordinatorApplication;

import org.springframework.boot.logging.DeferredLogFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * The coordinator's settings moved from {@code flotilla.tx.*} (now the tx starter's prefix) to
 * {@code flotilla.coordinator.*}; the old names keep working for this release with a warning.
 */
public class CoordinatorRenamedProperties extends RenamedPropertyPrefix {

    public CoordinatorRenamedProperties(DeferredLogFactory logs) {
        super(logs, TxCoordinatorApplication.class, "flotilla.tx", CoordinatorProperties.PREFIX, names());
    }

    private static List<String> names() {
        List<String> names = new ArrayList<>(raftServerNames());
        names.addAll(List.of("default-timeout", "timeout-sweep-interval", "retention", "phase-two.initial-backoff",
                "phase-two.max-backoff", "phase-two.alert-after-attempts", "phase-two.call-timeout",
                "phase-two.reconcile-interval"));
        return names;
    }
}
