package io.flotilla.tx.it;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Hands every integration test class the same {@link LedgerCluster}, started on first use and stopped when the
 * whole test run ends, so the processes start once per test JVM rather than once per class.
 */
final class SharedLedgerCluster implements ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(SharedLedgerCluster.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == LedgerCluster.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE)
            .computeIfAbsent("cluster", key -> LedgerCluster.start("ledger"), LedgerCluster.class);
    }
}
