package io.flotilla.tx.it;

import io.flotilla.tx.api.BranchStatus;
import io.flotilla.tx.api.BranchView;
import io.flotilla.tx.api.GlobalStatus;
import io.flotilla.tx.api.TransactionMode;
import io.flotilla.tx.api.TransactionView;
import io.flotilla.tx.it.ledger.Account;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Phase two batched per participant, end to end: the ledger participants (PostgreSQL, MariaDB) announce their batch
 * endpoint when they register a branch, the coordinator process sends what is due for one participant together,
 * and the participant runs each branch with its own fence and local transaction: a confirm that fails in a batch is
 * retried alone while the others stay done, and a coordinator killed while a batch is at the participant repeats it
 * after its restart without anything confirmed twice (the balances say so).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(SharedLedgerCluster.class)
class BatchedPhaseTwoIntegrationTests {

    private static final Duration FINISH = Duration.ofSeconds(120);

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

    @Test
    void confirmsDueTogetherGoInBatchesAndAFailedOneIsRetriedAlone() throws Exception {
        Map<String, Long> expected = new HashMap<>();
        List<String> payers = openAccounts(bankA, 4, 1_000, expected);
        List<String> payees = openAccounts(bankB, 4, 0, expected);
        long batchCallsBefore = phaseTwoRequests(bankB, "/flotilla/tx/phase-two/batch");
        // Slow confirms on bank B, so that what commits meanwhile queues for its next batch; its first 5 fail.
        bankB.faults(5, 0, 50);

        List<String> xids = transfer(40, 8, payers, payees, expected);

        for (String xid : xids) {
            TransactionView view = cluster.awaitFinished(xid, FINISH);
            assertThat(view.status()).as(xid).isEqualTo(GlobalStatus.COMMITTED);
            assertThat(view.branches()).hasSize(2).allSatisfy(branch -> {
                assertThat(branch.status()).isEqualTo(BranchStatus.COMMITTED);
                LedgerCluster.Participant bank = branch.resource().equals("debit") ? bankA : bankB;
                assertThat(branch.batchUrl()).as("announced at registration")
                        .isEqualTo(bank.url + "/flotilla/tx/phase-two/batch");
            });
        }
        assertBalances(expected);
        List<BranchView> retried = xids.stream().map(xid -> cluster.coordinator.status(xid))
                .flatMap(view -> view.branches().stream()).filter(branch -> branch.attempts() > 0).toList();
        assertThat(retried).as("the 5 injected failures, each retried").isNotEmpty()
                .allSatisfy(branch -> {
                    assertThat(branch.resource()).isEqualTo("credit");
                    assertThat(branch.lastError()).startsWith("HTTP 503 (in a batch)");
                });
        long batchCalls = phaseTwoRequests(bankB, "/flotilla/tx/phase-two/batch") - batchCallsBefore;
        assertThat(batchCalls).as("batch requests for 40 confirms and at least 5 retries").isPositive()
                .isLessThan(40);
    }

    @Test
    void aCoordinatorKilledWhileABatchIsAtTheParticipantConfirmsNothingTwice() throws Exception {
        Map<String, Long> expected = new HashMap<>();
        List<String> payers = openAccounts(bankA, 3, 1_000, expected);
        List<String> payees = openAccounts(bankB, 3, 0, expected);
        // Each confirm on bank B takes 1.5 s: when the coordinator dies half a second after the last commit, that
        // transfer's confirm (and any queued with it) is at bank B, in a batch whose answer nobody will log.
        bankB.faults(0, 0, 1_500);

        List<String> xids = transfer(8, 4, payers, payees, expected);
        LedgerCluster.sleep(500);
        cluster.coordinatorProcess.kill();
        cluster.coordinatorProcess.start();

        for (String xid : xids) {
            assertThat(cluster.awaitFinished(xid, FINISH).status()).as(xid).isEqualTo(GlobalStatus.COMMITTED);
        }
        assertBalances(expected);
    }

    private List<String> openAccounts(LedgerCluster.Participant bank, int count, long balance,
                                      Map<String, Long> expected) {
        List<String> accounts = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String account = "batch-" + UUID.randomUUID().toString().substring(0, 8);
            bank.open(account, balance);
            expected.put(account, balance);
            accounts.add(account);
        }
        return accounts;
    }

    /** {@code count} TCC transfers of 1..10 from bank A to bank B on {@code threads} threads; their xids. */
    private List<String> transfer(int count, int threads, List<String> payers, List<String> payees,
                                  Map<String, Long> expected) throws Exception {
        ExecutorService workers = Executors.newFixedThreadPool(threads);
        try {
            List<Future<String>> running = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String from = payers.get(i % payers.size());
                String to = payees.get(i % payees.size());
                long amount = 1 + i % 10;
                synchronized (expected) {
                    expected.merge(from, -amount, Long::sum);
                    expected.merge(to, amount, Long::sum);
                }
                running.add(workers.submit(() -> cluster.template.execute(TransactionMode.TCC, tx -> {
                    bankA.call("tcc", "debit", from, amount);
                    bankB.call("tcc", "credit", to, amount);
                    return tx.xid();
                })));
            }
            List<String> xids = new ArrayList<>();
            for (Future<String> transfer : running) {
                xids.add(transfer.get(2, TimeUnit.MINUTES));
            }
            return xids;
        } finally {
            workers.shutdownNow();
        }
    }

    private void assertBalances(Map<String, Long> expected) {
        Map<String, Long> actual = new HashMap<>();
        for (LedgerCluster.Participant bank : List.of(bankA, bankB)) {
            for (Account account : bank.accounts()) {
                if (expected.containsKey(account.id())) {
                    assertThat(account.frozen()).as("frozen in " + account).isZero();
                    assertThat(account.incoming()).as("incoming in " + account).isZero();
                    actual.put(account.id(), account.balance());
                }
            }
        }
        assertThat(actual).isEqualTo(expected);
    }

    /** Requests the participant served at {@code uri}, from its {@code http.server.requests} metric. */
    private long phaseTwoRequests(LedgerCluster.Participant bank, String uri) {
        String metrics = cluster.http.get().uri(bank.url + "/actuator/prometheus").retrieve().body(String.class);
        return Math.round(metrics.lines()
                .filter(line -> line.startsWith("http_server_requests_seconds_count{")
                        && line.contains("uri=\"" + uri + "\""))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum());
    }
}
