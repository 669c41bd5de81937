package io.flotilla.tx.tcc;

import io.flotilla.tx.api.TransactionMode;
import io.flotilla.tx.core.CoordinatorClient;
import io.flotilla.tx.core.NoGlobalTransactionException;
import io.flotilla.tx.core.ParticipantCallbacks;
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
 * Runs a TCC try: registers the branch with the coordinator first, then inserts the fence row and runs the method
 * in one local transaction.
 *
 * <p>Registering before the local transaction is what keeps a failed try cancellable (Seata #4180, where the
 * branch record was rolled back together with the failed try, so its cancel never ran): the coordinator knows
 * the branch whatever the try does, and its cancel finds no fence row, records an empty rollback and succeeds.
 */
public final class TccTryExecutor {

    private final CoordinatorClient coordinator;
    private final ParticipantCallbacks callbacks;
    private final TccFenceStore fence;
    private final DataSource dataSource;
    private final PlatformTransactionManager transactionManager;
    private final TransactionListener listener;

    public TccTryExecutor(CoordinatorClient coordinator, ParticipantCallbacks callbacks, TccFenceStore fence,
            DataSource dataSource, PlatformTransactionManager transactionManager, TransactionListener listener) {
        this.coordinator = coordinator;
        this.callbacks = callbacks;
        this.fence = fence;
        this.dataSource = dataSource;
        this.transactionManager = transactionManager;
        this.listener = listener;
    }

    /** Runs {@code body}, the try of {@code action} called with {@code arguments}, as a branch of the bound transaction. */
    public Object run(TccActionDefinition action, Object[] arguments, Body body) throws Throwable {
        String xid = XidContext.currentXid();
        if (xid == null) {
            throw new NoGlobalTransactionException(action.declaredAs(), action.name());
        }
        String branchId = Long.toString(coordinator.registerBranch(xid, callbacks.tcc(action.name())));
        String record = action.recordTry(arguments, xid, branchId);
        TransactionStatus local = transactionManager.getTransaction(new DefaultTransactionDefinition());
        Object result;
        try {
            Connection connection = DataSourceUtils.getConnection(dataSource);
            try {
                if (!recordTry(connection, xid, branchId, action.name(), record)) {
                    listener.branchPhase(TransactionMode.TCC, action.name(), "try", "refused");
                    throw new TccTryRefusedException(xid, branchId, action.name());
                }
            } finally {
                DataSourceUtils.releaseConnection(connection, dataSource);
            }
            result = body.proceed();
        } catch (Throwable failure) {
            transactionManager.rollback(local);
            if (!(failure instanceof TccTryRefusedException)) {
                listener.branchPhase(TransactionMode.TCC, action.name(), "try", "failed");
            }
            throw failure;
        }
        transactionManager.commit(local);
        listener.branchPhase(TransactionMode.TCC, action.name(), "try", "ok");
        return result;
    }

    private boolean recordTry(Connection connection, String xid, String branchId, String resource, String payload) {
        try {
            return fence.recordTry(connection, xid, branchId, resource, payload);
        } catch (SQLException e) {
            throw new IllegalStateException("try of " + resource + " for " + xid + "/" + branchId
                    + " could not write its fence row", e);
        }
    }

    /** The try method's own work, as an intercepted method proceeds. */
    @FunctionalInterface
    public interface Body {

        Object proceed() throws Throwable;
    }
}
