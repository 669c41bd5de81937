package io.flotilla.tx.xa;

import io.flotilla.tx.api.GlobalStatus;
import io.flotilla.tx.api.TransactionMode;
import io.flotilla.tx.core.CoordinatorClient;
import io.flotilla.tx.core.CoordinatorException;
import io.flotilla.tx.core.TransactionListener;
import io.flotilla.tx.core.UnknownTransactionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resolves this participant's in-doubt XA branches: lists them ({@code XA RECOVER}), asks the coordinator for
 * each global transaction's outcome, and commits or rolls back accordingly. Branches of still-active
 * transactions are left alone (the coordinator will call). A transaction the coordinator does not know was
 * never committed (the coordinator logs the commit decision before acting on it), so its branch is rolled back.
 */
public final class XaRecovery {

    private static final Logger log = LoggerFactory.getLogger(XaRecovery.class);

    private final XaResourceManager resources;
    private final CoordinatorClient coordinator;
    private final TransactionListener listener;

    public XaRecovery(XaResourceManager resources, CoordinatorClient coordinator, TransactionListener listener) {
        this.resources = resources;
        this.coordinator = coordinator;
        this.listener = listener;
    }

    /** One pass over the in-doubt branches; returns how many it finished. */
    public Result recoverOnce() {
        int committed = 0;
        int rolledBack = 0;
        int pending = 0;
        for (FlotillaXid branch : resources.recover()) {
            GlobalStatus status;
            try {
                status = coordinator.status(branch.xid()).status();
            } catch (UnknownTransactionException e) {
                status = GlobalStatus.ROLLED_BACK;
            } catch (CoordinatorException e) {
                log.warn("XA recovery: cannot ask the coordinator about {}: {}", branch.xid(), e.getMessage());
                pending++;
                continue;
            }
            if (status.isCommitDecided()) {
                resources.finish(branch, true);
                listener.branchPhase(TransactionMode.XA, "recovery", "commit", "ok");
                log.info("XA recovery: committed in-doubt branch {}/{}", branch.xid(), branch.branchId());
                committed++;
            } else if (status.isRollbackDecided()) {
                resources.finish(branch, false);
                listener.branchPhase(TransactionMode.XA, "recovery", "rollback", "ok");
                log.info("XA recovery: rolled back in-doubt branch {}/{}", branch.xid(), branch.branchId());
                rolledBack++;
            } else {
                pending++;
            }
        }
        return new Result(committed, rolledBack, pending);
    }

    /** What one recovery pass did; {@code pending} branches belong to active transactions or an unreachable coordinator. */
    public record Result(int committed, int rolledBack, int pending) {
    }
}
