package io.flotilla.tx.xa;

import io.flotilla.tx.api.TransactionMode;
import io.flotilla.tx.core.CoordinatorClient;
import io.flotilla.tx.core.ParticipantCallbacks;
import io.flotilla.tx.core.TransactionListener;
import io.flotilla.tx.core.NoGlobalTransactionException;
import io.flotilla.tx.core.XidContext;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.springframework.aop.support.AopUtils;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.jdbc.datasource.ConnectionHolder;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import javax.sql.DataSource;
import java.lang.reflect.Method;
import java.sql.Connection;

/**
 * Runs an {@link XaBranch} method: registers the branch, starts it on a pooled XA connection, binds that
 * connection to the application's {@link DataSource} for the call (so {@code JdbcTemplate} and
 * {@code @Transactional} code join the branch instead of opening a local transaction), then ends and prepares
 * it before returning. A method that throws, or whose {@code @Transactional} code marked the work rollback-only,
 * leaves no prepared branch behind.
 */
public final class XaBranchInterceptor implements MethodInterceptor {

    private final CoordinatorClient coordinator;
    private final ParticipantCallbacks callbacks;
    private final XaResourceManager resources;
    private final DataSource dataSource;
    private final TransactionListener listener;

    public XaBranchInterceptor(CoordinatorClient coordinator, ParticipantCallbacks callbacks, XaResourceManager resources,
            DataSource dataSource, TransactionListener listener) {
        this.coordinator = coordinator;
        this.callbacks = callbacks;
        this.resources = resources;
        this.dataSource = dataSource;
        this.listener = listener;
    }

    @Override
    public Object invoke(MethodInvocation invocation) throws Throwable {
        Method method = invocation.getThis() == null ? invocation.getMethod()
                : AopUtils.getMostSpecificMethod(invocation.getMethod(), invocation.getThis().getClass());
        XaBranch annotation = AnnotatedElementUtils.findMergedAnnotation(method, XaBranch.class);
        if (annotation == null) {
            annotation = AnnotatedElementUtils.findMergedAnnotation(invocation.getMethod(), XaBranch.class);
        }
        String resource = annotation.value();
        String xid = XidContext.currentXid();
        if (xid == null) {
            throw new NoGlobalTransactionException("@XaBranch", resource);
        }
        if (TransactionSynchronizationManager.hasResource(dataSource)) {
            throw new IllegalStateException("@XaBranch " + resource + " was called inside a local transaction on the "
                    + "same DataSource; put @Transactional inside the @XaBranch method, not around it");
        }
        String branchId = Long.toString(coordinator.registerBranch(xid, callbacks.xa(resource)));
        XaResourceManager.OpenBranch branch = resources.start(xid, branchId);
        BranchConnectionHolder holder = new BranchConnectionHolder(branch.connection());
        TransactionSynchronizationManager.bindResource(dataSource, holder);
        Object result;
        try {
            result = invocation.proceed();
        } catch (Throwable failure) {
            TransactionSynchronizationManager.unbindResource(dataSource);
            branch.abandon();
            listener.branchPhase(TransactionMode.XA, resource, "prepare", "failed");
            throw failure;
        }
        TransactionSynchronizationManager.unbindResource(dataSource);
        if (holder.isRollbackOnly()) {
            branch.abandon();
            listener.branchPhase(TransactionMode.XA, resource, "prepare", "failed");
            throw new XaBranchException("XA branch " + xid + "/" + branchId + " was marked rollback-only by the work", null);
        }
        branch.prepare();
        listener.branchPhase(TransactionMode.XA, resource, "prepare", "ok");
        return result;
    }

    /** Presents the branch connection as an active transaction, so Spring's transaction managers participate in it. */
    private static final class BranchConnectionHolder extends ConnectionHolder {

        BranchConnectionHolder(Connection connection) {
            super(connection);
            setTransactionActive(true);
        }
    }
}
