package io.flotilla.bench.seata;

import io.seata.core.context.RootContext;
import io.seata.core.model.GlobalStatus;
import io.seata.tm.TMClient;
import io.seata.tm.api.GlobalTransaction;
import io.seata.tm.api.GlobalTransactionContext;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The transaction manager's side of the Seata benchmark, through Seata's TM API ({@code GlobalTransactionContext},
 * {@code DefaultGlobalTransaction}); its client is configured by {@code registry.conf} and {@code file.conf} on the
 * class path (file registry, no Nacos). The side-by-side driver in {@code bench/} loads this class in a class
 * loader of its own (Seata's client is built for another Spring and Netty line than Flotilla's) and runs the
 * {@link Runnable}s it hands out in the same closed loop as Flotilla's.
 */
public final class SeataWork {

    private static final int TIMEOUT_MS = 60_000;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final URI bankA;
    private final URI bankB;
    private final int accounts;

    /** {@code applicationId} and {@code txServiceGroup} as in file.conf ({@code service.vgroupMapping.<group>}). */
    public SeataWork(String applicationId, String txServiceGroup, String bankA, String bankB, int accounts) {
        this.bankA = URI.create(bankA);
        this.bankB = URI.create(bankB);
        this.accounts = accounts;
        TMClient.init(applicationId, txServiceGroup);
    }

    /** Opens the account pairs both banks' transfers use, as Flotilla's driver does on its ledger. */
    public void openAccounts() {
        for (int i = 0; i < accounts; i++) {
            send(bankA, "PUT", "/ledger/accounts/bench-a" + i + "?balance=1000000000", null);
            send(bankB, "PUT", "/ledger/accounts/bench-b" + i + "?balance=0", null);
        }
    }

    /** Begin and commit with no branch: the TC's own cost. */
    public Runnable emptyTransaction() {
        return () -> inGlobalTransaction(xid -> { });
    }

    /** Begin, try-debit on A, try-credit on B (each registers its branch with the TC), commit. */
    public Runnable tccTransfer() {
        return () -> inGlobalTransaction(xid -> {
            int a = ThreadLocalRandom.current().nextInt(accounts);
            send(bankA, "POST", "/ledger/tcc/bench-a" + a + "/debit?amount=1", xid);
            send(bankB, "POST", "/ledger/tcc/bench-b" + a + "/credit?amount=1", xid);
        });
    }

    /**
     * Begin, debit on A, credit on B as plain updates in Seata's XA mode (each statement an XA branch of the bank's
     * {@code DataSourceProxyXA}: registered, {@code XA START}, update, {@code XA END}, {@code XA PREPARE}), commit;
     * the TC then commits both branches before it answers.
     */
    public Runnable xaTransfer() {
        return () -> inGlobalTransaction(xid -> {
            int a = ThreadLocalRandom.current().nextInt(accounts);
            send(bankA, "POST", "/ledger/xa/bench-a" + a + "/debit?amount=1", xid);
            send(bankB, "POST", "/ledger/xa/bench-b" + a + "/credit?amount=1", xid);
        });
    }

    /** A transfer whose second try is refused (an unknown account on B): the global transaction rolls back. */
    public Runnable refusedTransfer() {
        return () -> inGlobalTransaction(xid -> {
            send(bankA, "POST", "/ledger/tcc/bench-a0/debit?amount=1", xid);
            send(bankB, "POST", "/ledger/tcc/no-such-account/debit?amount=1", xid);
        });
    }

    private void inGlobalTransaction(java.util.function.Consumer<String> body) {
        GlobalTransaction tx = GlobalTransactionContext.createNew();
        try {
            tx.begin(TIMEOUT_MS, "seata-bench");
            try {
                body.accept(tx.getXid());
            } catch (RuntimeException e) {
                tx.rollback();
                throw e;
            }
            tx.commit();
            // Seata 2.0's TC answers an empty transaction AsyncCommitting (decided, nothing left to do) and a TCC or
            // XA one Finished once it ran both branches' phase two and removed the session. CommitRetrying (a confirm failed) counts
            // as an error; the driver checks the ledgers' sums after the run.
            GlobalStatus status = tx.getStatus();
            if (status != GlobalStatus.Committed && status != GlobalStatus.AsyncCommitting
                    && status != GlobalStatus.Finished) {
                throw new IllegalStateException(tx.getXid() + " ended " + status);
            }
        } catch (io.seata.core.exception.TransactionException e) {
            throw new IllegalStateException(e);
        } finally {
            RootContext.unbind();
        }
    }

    private void send(URI base, String method, String path, String xid) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (xid != null) {
            request.header(RootContext.KEY_XID, xid);
        }
        try {
            HttpResponse<Void> response = http.send(request.build(), HttpResponse.BodyHandlers.discarding());
            if (response.statusCode() / 100 != 2) {
                throw new IllegalStateException(method + " " + path + " answered " + response.statusCode());
            }
        } catch (java.io.IOException e) {
            throw new IllegalStateException(method + " " + path + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
