package io.flotilla.tx.it;

import io.flotilla.raft.client.FlotillaHeaders;
import io.flotilla.raft.client.RequestSignature;
import io.flotilla.tx.api.GlobalStatus;
import io.flotilla.tx.api.TransactionMode;
import io.flotilla.tx.api.TransactionView;
import io.flotilla.testsupport.PortProbe;
import io.flotilla.testsupport.db.DatabaseServers;
import io.flotilla.testsupport.db.TestDatabase;
import io.flotilla.testsupport.process.JavaProcess;
import io.flotilla.testsupport.process.TestCoordinator;
import io.flotilla.tx.core.CoordinatorException;
import io.flotilla.tx.core.GlobalTransactionTemplate;
import io.flotilla.tx.core.HttpCoordinatorClient;
import io.flotilla.tx.core.TransactionListener;
import io.flotilla.tx.it.ledger.Account;
import io.flotilla.tx.it.ledger.LedgerApplication;
import io.flotilla.tx.web.XidPropagatingInterceptor;
import io.flotilla.txcoordinator.TxCoordinatorApplication;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.web.client.RestClient;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * A real coordinator process and real participant processes ({@link LedgerApplication}), each participant on its
 * own freshly created database, plus an initiator in the test's JVM: the starter's template and a
 * {@code RestClient} that propagates the xid.
 */
final class LedgerCluster implements AutoCloseable {

    private static final String STARTER_AUTO_CONFIGURATIONS = "io.flotilla.tx.config.TxAutoConfiguration,"
            + "io.flotilla.tx.config.TxWebAutoConfiguration,io.flotilla.tx.config.TccAutoConfiguration,"
            + "io.flotilla.tx.config.XaAutoConfiguration,io.flotilla.tx.message.config.TxMessagesAutoConfiguration";

    /** Short-lived test processes start faster with the client compiler only and a serial collector. */
    private static final String[] FAST_START = {"-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"};

    final JavaProcess coordinatorProcess;
    final URI coordinatorUrl;
    final HttpCoordinatorClient coordinator;
    final GlobalTransactionTemplate template;
    final RestClient http;
    private final List<AutoCloseable> resources = new ArrayList<>();

    /**
     * Starts the coordinator and, at the same time, the participants {@code bank-a} (PostgreSQL) and
     * {@code bank-b} (MariaDB): process start-up dominates these tests on a loaded machine.
     */
    static LedgerCluster start(String name) {
        CompletableFuture<TestDatabase> postgres = CompletableFuture.supplyAsync(LedgerCluster::postgres);
        CompletableFuture<TestDatabase> mariadb = CompletableFuture.supplyAsync(LedgerCluster::mariadb);
        LedgerCluster cluster = new LedgerCluster(name);
        try {
            CompletableFuture<Participant> a = CompletableFuture.supplyAsync(() -> cluster.participant(name + "-bank-a", postgres.join()));
            CompletableFuture<Participant> b = CompletableFuture.supplyAsync(() -> cluster.participant(name + "-bank-b", mariadb.join()));
            cluster.coordinatorProcess.start();
            cluster.awaitLeader();
            cluster.bankA = a.join();
            cluster.bankB = b.join();
            return cluster;
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    Participant bankA;
    Participant bankB;

    private LedgerCluster(String name) {
        try {
            Path dataDir = Files.createTempDirectory("flotilla-tx-" + name);
            int httpPort = PortProbe.freePort();
            int raftPort = PortProbe.freePort();
            coordinatorUrl = URI.create("http://127.0.0.1:" + httpPort);
            coordinatorProcess = JavaProcess.builder(name + "-coordinator", TxCoordinatorApplication.class)
                .args("--server.port=" + httpPort, "--flotilla.coordinator.raft-port=" + raftPort,
                        "--flotilla.coordinator.data-dir=" + dataDir,
                        "--flotilla.coordinator.phase-two.signing-keys=" + TestCoordinator.PHASE_TWO_KEY,
                        "--flotilla.coordinator.phase-two.initial-backoff=50ms", "--flotilla.coordinator.phase-two.max-backoff=400ms",
                        "--flotilla.coordinator.phase-two.reconcile-interval=200ms", "--flotilla.coordinator.timeout-sweep-interval=200ms",
                        "--flotilla.coordinator.election-timeout-min=300ms", "--flotilla.coordinator.election-timeout-max=600ms",
                        "--spring.autoconfigure.exclude=" + STARTER_AUTO_CONFIGURATIONS)
                .maxHeap("256m")
                .jvmOptions(FAST_START)
                .healthUrl(coordinatorUrl + "/actuator/health")
                .startTimeout(Duration.ofSeconds(180))
                .build();
            resources.add(coordinatorProcess);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        coordinator = new HttpCoordinatorClient(List.of(coordinatorUrl), Duration.ofSeconds(2), Duration.ofSeconds(15),
                Duration.ofSeconds(10));
        template = new GlobalTransactionTemplate(coordinator, Duration.ofSeconds(30), TransactionListener.NONE);
        http = RestClient.builder().requestInterceptor(new XidPropagatingInterceptor()).build();
    }

    private void awaitLeader() {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            try {
                String xid = coordinator.begin(TransactionMode.TCC, Duration.ofSeconds(5), "warm-up").xid();
                coordinator.rollback(xid);
                return;
            } catch (CoordinatorException e) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the coordinator elected no leader: " + coordinatorProcess.logTail(), e);
                }
                sleep(200);
            }
        }
    }

    /**
     * Undoes what a test did to the shared cluster, at its end or in its middle, so that what follows (and the next
     * class sharing the cluster) finds it as {@link #start} left it: whatever process was killed is started again
     * (the participants at the same time: their start-up dominates on a loaded machine) and the participants'
     * injected faults are cleared.
     */
    void restore() {
        if (!coordinatorProcess.isAlive()) {
            coordinatorProcess.start();
        }
        CompletableFuture.allOf(List.of(bankA, bankB).stream().map(bank -> CompletableFuture.runAsync(() -> {
            if (!bank.process.isAlive()) {
                bank.process.restart();
            }
        })).toArray(CompletableFuture[]::new)).join();
        bankA.faults(0, 0);
        bankB.faults(0, 0);
    }

    /** Starts a participant on a new database of {@code database}'s engine. */
    Participant participant(String name, TestDatabase database) {
        synchronized (resources) {
            resources.add(database);
        }
        int port = PortProbe.freePort();
        String tag = name + "-" + UUID.randomUUID().toString().substring(0, 8);
        JavaProcess process = JavaProcess.builder(name, LedgerApplication.class)
            .args("--server.port=" + port,
                    "--spring.application.name=" + name,
                    "--spring.datasource.url=" + database.jdbcUrl(),
                    "--spring.datasource.username=" + database.username(),
                    "--spring.datasource.password=" + (database.password() == null ? "" : database.password()),
                    "--spring.datasource.hikari.maximum-pool-size=8",
                    "--flotilla.tx.coordinator.addresses=" + coordinatorUrl,
                    "--flotilla.tx.participant.base-url=http://127.0.0.1:" + port,
                    "--flotilla.tx.participant.signing-keys=" + TestCoordinator.PHASE_TWO_KEY,
                    "--flotilla.tx.xa.recovery-tag=" + tag,
                    "--flotilla.tx.xa.recovery-interval=1s",
                    "--spring.threads.virtual.enabled=true",
                    "--management.endpoints.web.exposure.include=health,prometheus",
                    // The Raft kit (on this class path for the coordinator) adds its raft indicator to every
                    // application's readiness group; a participant has none.
                    "--management.endpoint.health.group.readiness.include=readinessState")
            .maxHeap("256m")
            .jvmOptions(FAST_START)
            .healthUrl("http://127.0.0.1:" + port + "/actuator/health")
            .startTimeout(Duration.ofSeconds(180))
            .build();
        synchronized (resources) {
            resources.add(process);
        }
        process.start();
        Participant participant = new Participant(name, process, URI.create("http://127.0.0.1:" + port), database, tag);
        return participant;
    }

    static TestDatabase postgres() {
        return DatabaseServers.postgres().createDatabase();
    }

    static TestDatabase mariadb() {
        return DatabaseServers.mariadb().createDatabase();
    }

    /** Waits until the coordinator reports the transaction finished (COMMITTED or ROLLED_BACK) and returns it. */
    TransactionView awaitFinished(String xid, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        TransactionView view = coordinator.status(xid);
        while (view.status() != GlobalStatus.COMMITTED && view.status() != GlobalStatus.ROLLED_BACK) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("transaction " + xid + " still " + view.status() + " after " + timeout + ": " + view);
            }
            sleep(100);
            view = coordinator.status(xid);
        }
        return view;
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        List<AutoCloseable> resources;
        synchronized (this.resources) {
            resources = new ArrayList<>(this.resources);
        }
        for (int i = resources.size() - 1; i >= 0; i--) {
            try {
                resources.get(i).close();
            } catch (Exception ignored) {
                // Best effort: the next resource still gets closed.
            }
        }
    }

    /** One participant process and what the tests do to it. */
    final class Participant {

        final String name;
        final JavaProcess process;
        final URI url;
        final TestDatabase database;
        final String recoveryTag;

        Participant(String name, JavaProcess process, URI url, TestDatabase database, String recoveryTag) {
            this.name = name;
            this.process = process;
            this.url = url;
            this.database = database;
            this.recoveryTag = recoveryTag;
        }

        void open(String account, long balance) {
            http.put().uri(url + "/ledger/accounts/{id}?balance={b}", account, balance).retrieve().toBodilessEntity();
        }

        Account account(String id) {
            return accounts().stream().filter(a -> a.id().equals(id)).findFirst().orElseThrow();
        }

        List<Account> accounts() {
            return http.get().uri(url + "/ledger/accounts").retrieve().body(new ParameterizedTypeReference<List<Account>>() {
            });
        }

        /** Calls a ledger operation: {@code mode} tcc or xa, {@code operation} debit or credit. */
        void call(String mode, String operation, String account, long amount) {
            http.post().uri(url + "/ledger/{mode}/{id}/{op}?amount={a}", mode, account, operation, amount)
                .retrieve().toBodilessEntity();
        }

        void faults(int confirmFailures, long registrationDelayMillis) {
            faults(confirmFailures, registrationDelayMillis, 0);
        }

        void faults(int confirmFailures, long registrationDelayMillis, long confirmDelayMillis) {
            http.post().uri(url + "/ledger/faults?confirmFailures={c}&registrationDelayMillis={d}&confirmDelayMillis={s}",
                    confirmFailures, registrationDelayMillis, confirmDelayMillis).retrieve().toBodilessEntity();
        }

        /** Posts a phase-two call straight to the participant, signed as the coordinator signs it. */
        String phaseTwo(String path, String xid, long branchId) {
            byte[] body = ("{\"xid\":\"" + xid + "\",\"branchId\":" + branchId + "}").getBytes(StandardCharsets.UTF_8);
            long now = System.currentTimeMillis();
            String nonce = RequestSignature.newNonce();
            return http.post().uri(url + "/flotilla/tx" + path)
                .contentType(org.springframework.http.MediaType.APPLICATION_JSON)
                .header(FlotillaHeaders.SIGNATURE_TIMESTAMP, Long.toString(now))
                .header(FlotillaHeaders.SIGNATURE_NONCE, nonce)
                .header(FlotillaHeaders.SIGNATURE, RequestSignature.sign(TestCoordinator.PHASE_TWO_KEY, "POST",
                        "/flotilla/tx" + path, now, nonce, body))
                .body(body)
                .retrieve().body(String.class);
        }
    }
}
