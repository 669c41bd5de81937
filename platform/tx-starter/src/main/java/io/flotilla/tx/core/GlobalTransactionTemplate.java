package io.flotilla.tx.core;

import io.flotilla.tx.api.GlobalStatus;
import io.flotilla.tx.api.TransactionMode;
import java.time.Duration;
import java.util.Objects;

/**
 * Begins a global transaction, runs a block with its xid bound to the thread (so outgoing calls carry it),
 * then asks the coordinator to commit, or to roll back when the block throws. A block that runs inside an
 * already bound transaction joins it instead of beginning a new one.
 *
 * <pre>{@code
 * Order order = template.execute(TransactionMode.TCC, tx -> {
 *     inventory.reserve(sku, quantity);      // a participant: its try runs, its branch is registered
 *     return orders.save(...);
 * });
 * }</pre>
 */
public final class GlobalTransactionTemplate {

    private final CoordinatorClient coordinator;
    private final Duration defaultTimeout;
    private final TransactionListener listener;

    public GlobalTransactionTemplate(CoordinatorClient coordinator, Duration defaultTimeout, TransactionListener listener) {
        this.coordinator = Objects.requireNonNull(coordinator);
        this.defaultTimeout = Objects.requireNonNull(defaultTimeout);
        this.listener = Objects.requireNonNull(listener);
    }

    /** Runs {@code work} in a global transaction of {@code mode} with the default timeout. */
    public <T> T execute(TransactionMode mode, GlobalTransactionCallback<T> work) {
        return execute(mode, defaultTimeout, null, work);
    }

    /** Runs {@code work} in a global transaction; any exception it throws rolls the transaction back and is rethrown. */
    public <T> T execute(TransactionMode mode, Duration timeout, String name, GlobalTransactionCallback<T> work) {
        try {
            return executeThrowing(mode, timeout, name, work::doInTransaction);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("unexpected checked exception", e);
        }
    }

    /** As {@link #execute(TransactionMode, Duration, String, GlobalTransactionCallback)} for blocks that throw checked exceptions. */
    public <T> T executeThrowing(TransactionMode mode, Duration timeout, String name, ThrowingWork<T> work) throws Throwable {
        String joined = XidContext.currentXid();
        if (joined != null) {
            TransactionMode joinedMode = XidContext.currentMode();
            return work.run(new GlobalTransaction(joined, joinedMode == null ? mode : joinedMode, GlobalStatus.ACTIVE, null));
        }
        long started = System.nanoTime();
        GlobalTransaction transaction = coordinator.begin(mode, timeout == null ? defaultTimeout : timeout, name);
        T result;
        try (XidContext.Scope ignored = XidContext.bind(transaction.xid(), mode)) {
            result = work.run(transaction);
        } catch (Throwable failure) {
            rollbackAfter(failure, transaction);
            listener.globalFinished(mode, GlobalStatus.ROLLED_BACK.name(), Duration.ofNanos(System.nanoTime() - started));
            throw failure;
        }
        GlobalStatus status;
        try {
            status = coordinator.commit(transaction.xid());
        } catch (UnknownTransactionException | TransactionNotActiveException e) {
            listener.globalFinished(mode, GlobalStatus.ROLLED_BACK.name(), Duration.ofNanos(System.nanoTime() - started));
            throw new GlobalTransactionRolledBackException(transaction.xid(), GlobalStatus.ROLLED_BACK);
        } catch (CoordinatorException e) {
            listener.globalFinished(mode, "UNKNOWN", Duration.ofNanos(System.nanoTime() - started));
            throw new TransactionOutcomeUnknownException(transaction.xid(), e);
        }
        if (status != null && status.isRollbackDecided()) {
            listener.globalFinished(mode, GlobalStatus.ROLLED_BACK.name(), Duration.ofNanos(System.nanoTime() - started));
            throw new GlobalTransactionRolledBackException(transaction.xid(), status);
        }
        listener.globalFinished(mode, GlobalStatus.COMMITTED.name(), Duration.ofNanos(System.nanoTime() - started));
        return result;
    }

    private void rollbackAfter(Throwable failure, GlobalTransaction transaction) {
        try {
            coordinator.rollback(transaction.xid());
        } catch (RuntimeException rollbackFailure) {
            // The coordinator rolls the transaction back at its timeout anyway; keep the business failure primary.
            failure.addSuppressed(rollbackFailure);
        }
    }

    /** A block that may throw anything, as an intercepted method does. */
    @FunctionalInterface
    public interface ThrowingWork<T> {

        T run(GlobalTransaction transaction) throws Throwable;
    }
}
