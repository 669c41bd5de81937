package io.flotilla.tx.it.ledger;

import io.flotilla.tx.api.BranchRequest;
import io.flotilla.tx.api.GlobalStatus;
import io.flotilla.tx.api.TransactionMode;
import io.flotilla.tx.api.TransactionView;
import io.flotilla.tx.core.CoordinatorClient;
import io.flotilla.tx.core.GlobalTransaction;

import java.time.Duration;

/**
 * The real HTTP client, except that the answer to a branch registration can be held back: the window in which
 * the coordinator already knows the branch and may cancel it, while the try has not reached its fence yet.
 */
final class SlowRegistrationCoordinatorClient implements CoordinatorClient {

    private final CoordinatorClient delegate;
    private final Faults faults;

    SlowRegistrationCoordinatorClient(CoordinatorClient delegate, Faults faults) {
        this.delegate = delegate;
        this.faults = faults;
    }

    @Override
    public long registerBranch(String xid, BranchRequest branch) {
        long branchId = delegate.registerBranch(xid, branch);
        long delay = faults.registrationDelayMillis.get();
        if (delay > 0) {
            try {
                Thread.sleep(delay);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return branchId;
    }

    @Override
    public GlobalTransaction begin(TransactionMode mode, Duration timeout, String name) {
        return delegate.begin(mode, timeout, name);
    }

    @Override
    public GlobalStatus commit(String xid) {
        return delegate.commit(xid);
    }

    @Override
    public GlobalStatus rollback(String xid) {
        return delegate.rollback(xid);
    }

    @Override
    public TransactionView status(String xid) {
        return delegate.status(xid);
    }
}
