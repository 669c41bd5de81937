package io.flotilla.tx.it;

import io.flotilla.tx.api.GlobalStatus;
import io.flotilla.tx.api.TransactionMode;
import io.flotilla.tx.it.ledger.Account;
import io.flotilla.tx.xa.FlotillaXid;
import io.flotilla.tx.xa.XaDataSources;
import io.flotilla.tx.xa.XaResourceManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * 500 transfers between accounts on two participants (PostgreSQL and MariaDB), each a TCC or an XA global
 * transaction chosen at random, while participants are killed with {@code kill -9} and restarted. At the end
 * every transaction is finished, nothing is left frozen, pending or in doubt, and every account holds exactly
 * its opening balance plus the transfers the coordinator committed. Replay the choices with
 * {@code -Dflotilla.tx.chaos.seed=<seed>}.
 */
@ExtendWith(SharedLedgerCluster.class)
class LedgerChaosIntegrationTests {

    private static final Logger log = LoggerFactory.getLogger(LedgerChaosIntegrationTests.class);

    private static final int TRANSFERS = 500;
    private static final int ACCOUNTS_PER_BANK = 4;
    private static final long OPENING_BALANCE = 1_000;
    private static final int[] KILL_AFTER = {150, 350};

    private record Transfer(String xid, TransactionMode mode, LedgerCluster.Participant fromBank, String from,
                            LedgerCluster.Participant toBank, String to, long amount) {
    }

    @Test
    void theLedgerBalancesAfterTransfersUnderParticipantKills(LedgerCluster cluster) throws Exception {
        long seed = Long.getLong("flotilla.tx.chaos.seed", System.nanoTime());
        log.info("chaos seed {} (replay: ./mvnw -pl platform/tx-starter verify -Dtest=LedgerChaosIntegrationTests "
                + "-Dflotilla.tx.chaos.seed={})", seed, seed);
        try {
            run(cluster, seed);
        } catch (AssertionError | Exception e) {
            throw new AssertionError("chaos run failed with seed " + seed + " (replay with -Dflotilla.tx.chaos.seed="
                    + seed + "): " + e.getMessage(), e);
        }
    }

    private void run(LedgerCluster cluster, long seed) throws Exception {
        List<LedgerCluster.Participant> banks = List.of(cluster.bankA, cluster.bankB);
        String prefix = "chaos-" + UUID.randomUUID().toString().substring(0, 6) + "-";
        Map<String, Long> expected = new HashMap<>();
        for (LedgerCluster.Participant bank : banks) {
            for (int i = 0; i < ACCOUNTS_PER_BANK; i++) {
                String account = prefix + bank.name.substring(bank.name.length() - 1) + i;
                bank.open(account, OPENING_BALANCE);
                expected.put(account, OPENING_BALANCE);
            }
        }

        Random random = new Random(seed);
        List<Transfer> plan = new ArrayList<>();
        for (int i = 0; i < TRANSFERS; i++) {
            int fromBank = random.nextInt(2);
            plan.add(new Transfer(null, random.nextBoolean() ? TransactionMode.TCC : TransactionMode.XA,
                    banks.get(fromBank), prefix + (fromBank == 0 ? "a" : "b") + random.nextInt(ACCOUNTS_PER_BANK),
                    banks.get(1 - fromBank), prefix + (fromBank == 0 ? "b" : "a") + random.nextInt(ACCOUNTS_PER_BANK),
                    1 + random.nextInt(60)));
        }
        int firstVictim = random.nextInt(2);
        List<Integer> victims = List.of(firstVictim, 1 - firstVictim);

        ConcurrentLinkedQueue<Transfer> attempted = new ConcurrentLinkedQueue<>();
        AtomicInteger done = new AtomicInteger();
        AtomicInteger next = new AtomicInteger();
        List<CompletableFuture<Void>> restarts = new ArrayList<>();
        ExecutorService workers = Executors.newFixedThreadPool(4);
        long started = System.nanoTime();
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int w = 0; w < 4; w++) {
                running.add(workers.submit(() -> {
                    for (int i = next.getAndIncrement(); i < TRANSFERS; i = next.getAndIncrement()) {
                        // The kill hits the transfers in flight and the phase two still pending; new transfers
                        // wait for the restart, or every one of them would fail fast and prove little.
                        awaitRestarts(restarts);
                        attempt(cluster, plan.get(i), attempted);
                        int finished = done.incrementAndGet();
                        for (int k = 0; k < KILL_AFTER.length; k++) {
                            if (finished == KILL_AFTER[k]) {
                                LedgerCluster.Participant victim = banks.get(victims.get(k));
                                synchronized (restarts) {
                                    if (victim.process.isAlive()) {
                                        log.info("chaos: kill -9 {} after {} transfers", victim.name, finished);
                                        victim.process.kill();
                                        restarts.add(CompletableFuture.runAsync(victim.process::restart));
                                    }
                                }
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> worker : running) {
                worker.get(10, TimeUnit.MINUTES);
            }
        } finally {
            workers.shutdownNow();
        }
        synchronized (restarts) {
            CompletableFuture.allOf(restarts.toArray(CompletableFuture[]::new)).get(5, TimeUnit.MINUTES);
        }
        for (LedgerCluster.Participant bank : banks) {
            if (!bank.process.isAlive()) {
                bank.process.restart();
            }
        }
        log.info("chaos: {} transfers attempted in {} s", attempted.size(),
                Duration.ofNanos(System.nanoTime() - started).toSeconds());

        int committed = 0;
        for (Transfer transfer : attempted) {
            GlobalStatus status = cluster.awaitFinished(transfer.xid(), Duration.ofSeconds(120)).status();
            if (status == GlobalStatus.COMMITTED) {
                committed++;
                expected.merge(transfer.from(), -transfer.amount(), Long::sum);
                expected.merge(transfer.to(), transfer.amount(), Long::sum);
            }
        }
        log.info("chaos: {} of {} transfers committed", committed, attempted.size());
        assertThat(committed).as("a run where nothing commits proves nothing").isGreaterThan(TRANSFERS / 4);

        Map<String, Long> actual = new HashMap<>();
        for (LedgerCluster.Participant bank : banks) {
            for (Account account : bank.accounts()) {
                if (account.id().startsWith(prefix)) {
                    assertThat(account.frozen()).as("frozen in " + account).isZero();
                    assertThat(account.incoming()).as("incoming in " + account).isZero();
                    actual.put(account.id(), account.balance());
                }
            }
            assertThat(inDoubt(bank)).as("in-doubt XA branches of " + bank.name).isEmpty();
        }
        assertThat(actual).isEqualTo(expected);
        assertThat(actual.values().stream().mapToLong(Long::longValue).sum())
            .isEqualTo(OPENING_BALANCE * ACCOUNTS_PER_BANK * banks.size());
    }

    private static void awaitRestarts(List<CompletableFuture<Void>> restarts) {
        List<CompletableFuture<Void>> pending;
        synchronized (restarts) {
            pending = List.copyOf(restarts);
        }
        CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).join();
    }

    private static void attempt(LedgerCluster cluster, Transfer transfer, ConcurrentLinkedQueue<Transfer> attempted) {
        String mode = transfer.mode() == TransactionMode.TCC ? "tcc" : "xa";
        try {
            cluster.template.execute(transfer.mode(), Duration.ofSeconds(20), "chaos", tx -> {
                attempted.add(new Transfer(tx.xid(), transfer.mode(), transfer.fromBank(), transfer.from(),
                        transfer.toBank(), transfer.to(), transfer.amount()));
                // Bank A's leg first, whichever way the money goes. An XA branch keeps its row locked until phase
                // two, so two XA transfers that took their legs in opposite orders could each hold the row the
                // other waits for, in two databases: a deadlock neither database sees, which only the
                // coordinator's timeout ends (20 s, every worker on those hot rows waiting meanwhile; that was
                // two thirds of this test's time). Each leg is its own branch, so the order changes no outcome.
                if (transfer.fromBank() == cluster.bankA) {
                    transfer.fromBank().call(mode, "debit", transfer.from(), transfer.amount());
                    transfer.toBank().call(mode, "credit", transfer.to(), transfer.amount());
                } else {
                    transfer.toBank().call(mode, "credit", transfer.to(), transfer.amount());
                    transfer.fromBank().call(mode, "debit", transfer.from(), transfer.amount());
                }
                return null;
            });
        } catch (RuntimeException expectedUnderChaos) {
            // Refused (insufficient funds), a participant down, or the outcome unknown: the coordinator decides.
        }
    }

    private static List<String> inDoubt(LedgerCluster.Participant bank) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        try (XaResourceManager resources = new XaResourceManager(XaDataSources.forUrl(bank.database.jdbcUrl(),
                bank.database.username(), bank.database.password()), bank.recoveryTag)) {
            List<String> left = resources.recover().stream().map(FlotillaXid::xid).toList();
            // A branch the coordinator rolled back while its prepare was still running is left for recovery (1 s).
            while (!left.isEmpty() && System.nanoTime() < deadline) {
                LedgerCluster.sleep(500);
                left = resources.recover().stream().map(FlotillaXid::xid).toList();
            }
            return left;
        }
    }
}
