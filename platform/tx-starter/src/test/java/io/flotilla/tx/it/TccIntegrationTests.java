package io.flotilla.tx.it;

import io.flotilla.tx.api.BranchStatus;
import io.flotilla.tx.api.BranchView;
import io.flotilla.tx.api.GlobalStatus;
import io.flotilla.tx.api.TransactionMode;
import io.flotilla.tx.api.TransactionView;
import io.flotilla.tx.core.XidContext;
import io.flotilla.tx.it.ledger.Account;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.web.client.HttpClientErrorException;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * TCC end to end: a real coordinator process, two participant processes (one on PostgreSQL, one on MariaDB),
 * the initiator in this JVM. Every call is real HTTP on loopback.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(SharedLedgerCluster.class)
class TccIntegrationTests {

    private static final Duration FINISH = Duration.ofSeconds(60);

    private LedgerCluster cluster;
    private LedgerCluster.Participant bankA;
    private LedgerCluster.Participant bankB;

    @BeforeAll
    void useCluster(LedgerCluster cluster) {
        this.cluster = cluster;
        bankA = cluster.bankA;
        bankB = cluster.bankB;
    }

    @AfterEach
    void restoreCluster() {
        cluster.restore();
    }

    private static String account() {
        return "acct-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void whenAllTriesSucceedBothBranchesAreConfirmed() {
        String from = account();
        String to = account();
        bankA.open(from, 100);
        bankB.open(to, 0);

        String xid = cluster.template.execute(TransactionMode.TCC, tx -> {
            bankA.call("tcc", "debit", from, 30);
            bankB.call("tcc", "credit", to, 30);
            return tx.xid();
        });

        TransactionView view = cluster.awaitFinished(xid, FINISH);
        assertThat(view.status()).isEqualTo(GlobalStatus.COMMITTED);
        assertThat(view.branches()).hasSize(2).allSatisfy(b -> assertThat(b.status()).isEqualTo(BranchStatus.COMMITTED));
        assertThat(bankA.account(from)).isEqualTo(new Account(from, 70, 0, 0));
        assertThat(bankB.account(to)).isEqualTo(new Account(to, 30, 0, 0));
    }

    @Test
    void whenOneTryFailsEveryBranchIsCancelled() {
        String payer = account();
        String payee = account();
        bankA.open(payee, 0);
        bankB.open(payer, 10);
        AtomicReference<String> xid = new AtomicReference<>();

        assertThatThrownBy(() -> cluster.template.execute(TransactionMode.TCC, tx -> {
            xid.set(tx.xid());
            bankA.call("tcc", "credit", payee, 50);
            bankB.call("tcc", "debit", payer, 50); // only 10 there: the try throws after registering its branch
            return null;
        })).isInstanceOf(HttpClientErrorException.Conflict.class);

        TransactionView view = cluster.awaitFinished(xid.get(), FINISH);
        assertThat(view.status()).isEqualTo(GlobalStatus.ROLLED_BACK);
        assertThat(view.branches()).hasSize(2).allSatisfy(b -> assertThat(b.status()).isEqualTo(BranchStatus.ROLLED_BACK));
        assertThat(bankA.account(payee)).isEqualTo(new Account(payee, 0, 0, 0));
        assertThat(bankB.account(payer)).isEqualTo(new Account(payer, 10, 0, 0));
    }

    @Test
    void aConfirmThatFailsTwiceIsRetriedUntilItSucceeds() {
        String from = account();
        String to = account();
        bankA.open(from, 100);
        bankB.open(to, 0);
        bankB.faults(2, 0);

        String xid = cluster.template.execute(TransactionMode.TCC, tx -> {
            bankA.call("tcc", "debit", from, 25);
            bankB.call("tcc", "credit", to, 25);
            return tx.xid();
        });

        TransactionView view = cluster.awaitFinished(xid, FINISH);
        assertThat(view.status()).isEqualTo(GlobalStatus.COMMITTED);
        BranchView credit = view.branches().stream().filter(b -> b.resource().equals("credit")).findFirst().orElseThrow();
        assertThat(credit.attempts()).isGreaterThanOrEqualTo(2);
        assertThat(bankB.account(to)).isEqualTo(new Account(to, 25, 0, 0));
        assertThat(bankA.account(from)).isEqualTo(new Account(from, 75, 0, 0));
    }

    @Test
    void aParticipantDownDuringPhaseTwoIsFinishedAfterItComesBack() {
        String from = account();
        String to = account();
        bankA.open(from, 100);
        bankB.open(to, 0);

        String xid = cluster.template.execute(TransactionMode.TCC, tx -> {
            bankA.call("tcc", "debit", from, 40);
            bankB.call("tcc", "credit", to, 40);
            bankB.process.kill();
            return tx.xid();
        });

        LedgerCluster.sleep(1500);
        TransactionView stuck = cluster.coordinator.status(xid);
        assertThat(stuck.status()).isEqualTo(GlobalStatus.COMMITTING);
        assertThat(stuck.branches()).filteredOn(b -> b.resource().equals("credit"))
            .allSatisfy(b -> assertThat(b.attempts()).isPositive());

        bankB.process.restart();
        assertThat(cluster.awaitFinished(xid, FINISH).status()).isEqualTo(GlobalStatus.COMMITTED);
        assertThat(bankB.account(to)).isEqualTo(new Account(to, 40, 0, 0));
        assertThat(bankA.account(from)).isEqualTo(new Account(from, 60, 0, 0));
    }

    @Test
    void aDuplicateConfirmChangesNothing() {
        String from = account();
        String to = account();
        bankA.open(from, 100);
        bankB.open(to, 0);
        String xid = cluster.template.execute(TransactionMode.TCC, tx -> {
            bankA.call("tcc", "debit", from, 10);
            bankB.call("tcc", "credit", to, 10);
            return tx.xid();
        });
        TransactionView view = cluster.awaitFinished(xid, FINISH);
        long creditBranch = view.branches().stream().filter(b -> b.resource().equals("credit")).findFirst()
            .orElseThrow().branchId();

        assertThat(bankB.phaseTwo("/tcc/credit/confirm", xid, creditBranch)).contains("\"duplicate\"");
        assertThat(bankB.phaseTwo("/tcc/credit/confirm", xid, creditBranch)).contains("\"duplicate\"");

        assertThat(bankB.account(to)).isEqualTo(new Account(to, 10, 0, 0));
    }

    @Test
    void aCancelWithoutItsTryIsAnEmptyRollbackThatSucceeds() {
        String xid = UUID.randomUUID().toString();

        assertThat(bankA.phaseTwo("/tcc/debit/cancel", xid, 424242)).contains("\"empty\"");
        assertThat(bankA.phaseTwo("/tcc/debit/cancel", xid, 424242)).contains("\"duplicate\"");
    }

    /**
     * Anti-suspension: the try registers its branch, but its answer is held back until the transaction has timed
     * out and its cancel (an empty rollback) has run; the try then arrives at its fence and is refused.
     */
    @Test
    void aTryArrivingAfterItsTimeoutCancelIsRefused() throws Exception {
        String account = account();
        bankA.open(account, 100);
        String xid = cluster.coordinator.begin(TransactionMode.TCC, Duration.ofMillis(1500), "suspension").xid();
        bankA.faults(0, 6000);

        CompletableFuture<Void> lateTry = CompletableFuture.runAsync(() -> {
            try (XidContext.Scope ignored = XidContext.bind(xid, TransactionMode.TCC)) {
                bankA.call("tcc", "debit", account, 30);
            }
        });

        TransactionView view = cluster.awaitFinished(xid, FINISH);
        assertThat(view.status()).isEqualTo(GlobalStatus.ROLLED_BACK);
        assertThat(lateTryFailure(lateTry)).isInstanceOf(HttpClientErrorException.Conflict.class)
            .hasMessageContaining("anti-suspension");
        assertThat(bankA.account(account)).isEqualTo(new Account(account, 100, 0, 0));
    }

    /**
     * Disorder, after DTM's runTestTccBarrierDisorder: the cancel is delivered twice before its try (once by
     * the coordinator, once more as a network duplicate), then the try arrives: it is refused and nothing moved.
     */
    @Test
    void aCancelDeliveredTwiceBeforeItsTryMakesTheTryRefused() throws Exception {
        String account = account();
        bankA.open(account, 100);
        String xid = cluster.coordinator.begin(TransactionMode.TCC, Duration.ofSeconds(30), "disorder").xid();
        bankA.faults(0, 8000);

        CompletableFuture<Void> lateTry = CompletableFuture.runAsync(() -> {
            try (XidContext.Scope ignored = XidContext.bind(xid, TransactionMode.TCC)) {
                bankA.call("tcc", "debit", account, 30);
            }
        });
        long branchId = awaitBranch(xid);
        cluster.coordinator.rollback(xid);
        assertThat(cluster.awaitFinished(xid, FINISH).status()).isEqualTo(GlobalStatus.ROLLED_BACK);
        assertThat(bankA.phaseTwo("/tcc/debit/cancel", xid, branchId)).contains("\"duplicate\"");
        assertThat(lateTry.isDone()).as("the try is still held back").isFalse();

        assertThat(lateTryFailure(lateTry)).isInstanceOf(HttpClientErrorException.Conflict.class)
            .hasMessageContaining("anti-suspension");
        assertThat(bankA.account(account)).isEqualTo(new Account(account, 100, 0, 0));
    }

    private long awaitBranch(String xid) {
        long deadline = System.nanoTime() + FINISH.toNanos();
        while (System.nanoTime() < deadline) {
            TransactionView view = cluster.coordinator.status(xid);
            if (!view.branches().isEmpty()) {
                return view.branches().get(0).branchId();
            }
            LedgerCluster.sleep(50);
        }
        throw new AssertionError("no branch registered for " + xid);
    }

    private static Throwable lateTryFailure(CompletableFuture<Void> lateTry) throws Exception {
        try {
            lateTry.get(60, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            return e.getCause();
        }
        throw new AssertionError("the late try succeeded");
    }
}
