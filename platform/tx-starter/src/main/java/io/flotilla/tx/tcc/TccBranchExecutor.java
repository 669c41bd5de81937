package io.flotilla.tx.tcc;

import io.flotilla.tx.api.TransactionMode;
import io.flotilla.tx.core.TransactionListener;
import io.flotilla.tx.core.XidContext;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.support.DefaultTransactionDefinition;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * Runs phase two of a TCC branch on the coordinator's call: the fence decides (run, duplicate, empty rollback
 * or conflict) and the business confirm or cancel runs in the same local transaction as the fence update, so
 * either both happen or neither does and the coordinator's retry finds the branch as it was.
 */
public final class TccBranchExecutor {

    private final TccActionRegistry registry;
    private final TccFenceStore fence;
    private final DataSource dataSource;
    private final PlatformTransactionManager transactionManager;
    private final TransactionListener listener;

    public TccBranchExecutor(TccActionRegistry registry, TccFenceStore fence, DataSource dataSource,
            PlatformTransactionManager transactionManager, TransactionListener listener) {
        this.registry = registry;
        this.fence = fence;
        this.dataSource = dataSource;
        this.transactionManager = transactionManager;
        this.listener = listener;
    }

    /** Confirms the branch; returns what the fence decided. */
    public FenceDecision.Action confirm(String resource, String xid, String branchId) {
        return run("confirm", registry.get(resource), xid, branchId);
    }

    /** Cancels the branch; returns what the fence decided. */
    public FenceDecision.Action cancel(String resource, String xid, String branchId) {
        return run("cancel", registry.get(resource), xid, branchId);
    }

    private FenceDecision.Action run(String phase, TccActionDefinition action, String xid, String branchId) {
        TransactionStatus local = transactionManager.getTransaction(new DefaultTransactionDefinition());
        FenceDecision decision;
        try (XidContext.Scope ignored = XidContext.bind(xid, TransactionMode.TCC)) {
            decision = decide(phase, action.name(), xid, branchId);
            switch (decision.action()) {
                case RUN -> {
                    if (phase.equals("confirm")) {
                        action.confirm(decision.payload(), xid, branchId);
                    } else {
                        action.cancel(decision.payload(), xid, branchId);
                    }
                }
                case CONFLICT -> throw new TccConflictException(phase, xid, branchId, decision.status());
                case DUPLICATE, EMPTY -> {
                    // Nothing to run: a repeated call, or an empty rollback whose fence row is its whole effect.
                }
            }
        } catch (Throwable e) {
            transactionManager.rollback(local);
            listener.branchPhase(TransactionMode.TCC, action.name(), phase, "failed");
            throw asUnchecked(e);
        }
        transactionManager.commit(local);
        listener.branchPhase(TransactionMode.TCC, action.name(), phase, outcome(decision.action()));
        return decision.action();
    }

    private FenceDecision decide(String phase, String resource, String xid, String branchId) {
        Connection connection = DataSourceUtils.getConnection(dataSource);
        try {
            return phase.equals("confirm") ? fence.confirm(connection, xid, branchId, resource)
                    : fence.cancel(connection, xid, branchId, resource);
        } catch (SQLException e) {
            throw new IllegalStateException(phase + " of " + xid + "/" + branchId + " failed in the fence table", e);
        } finally {
            DataSourceUtils.releaseConnection(connection, dataSource);
        }
    }

    private static String outcome(FenceDecision.Action action) {
        return switch (action) {
            case RUN -> "ok";
            case DUPLICATE -> "duplicate";
            case EMPTY -> "empty";
            case CONFLICT -> "conflict";
        };
    }

    private static RuntimeException asUnchecked(Throwable cause) {
        if (cause instanceof RuntimeException runtime) {
            return runtime;
        }
        if (cause instanceof Error error) {
            throw error;
        }
        return new IllegalStateException(cause);
    }
}
