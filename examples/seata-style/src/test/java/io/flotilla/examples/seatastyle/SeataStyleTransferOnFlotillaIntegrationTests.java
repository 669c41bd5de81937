package io.flotilla.examples.seatastyle;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import io.flotilla.examples.seatastyle.transfer.TransferApplication;
import io.flotilla.examples.seatastyle.transfer.TransferRequest;
import io.flotilla.examples.seatastyle.wallet.Wallet;
import io.flotilla.examples.seatastyle.wallet.WalletApplication;
import io.flotilla.test.EmbeddedFlotillaServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Seata-style sample, unchanged, on Flotilla: the wallet and the transfer service (each its own Spring Boot
 * application on its own port, with its own H2 and its own {@code wallet.yml} / {@code transfer.yml}) against a real
 * coordinator started by {@code flotilla-test}. The wallet's TCC actions are Seata's {@code @LocalTCC} interface,
 * the transfer's initiator is Seata's {@code @GlobalTransactional}, the xid travels in Seata's {@code TX_XID} header.
 */
class SeataStyleTransferOnFlotillaIntegrationTests {

    private static final Duration PHASE_TWO = Duration.ofSeconds(90);

    static EmbeddedFlotillaServers flotilla;
    static ConfigurableApplicationContext wallet;
    static ConfigurableApplicationContext transfer;
    static RestClient wallets;
    static RestClient transfers;

    @BeforeAll
    static void start() {
        flotilla = EmbeddedFlotillaServers.start(false, true);
        wallet = application(WalletApplication.class, "wallet");
        String walletUrl = "http://127.0.0.1:" + port(wallet);
        transfer = application(TransferApplication.class, "transfer", "seata-style.wallet-url=" + walletUrl);
        wallets = RestClient.create(walletUrl);
        transfers = RestClient.create("http://127.0.0.1:" + port(transfer));
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable closeable : new AutoCloseable[] {transfer, wallet, flotilla}) {
            try {
                if (closeable != null) {
                    closeable.close();
                }
            }
            catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @Test
    void transferCommitsBothBranches() {
        Wallet alice = wallet("alice");
        Wallet bob = wallet("bob");

        ResponseEntity<String> answer = transfer(new TransferRequest(id(), "alice", "bob", 30));

        assertThat(answer.getStatusCode()).isEqualTo(HttpStatus.CREATED);
        await("both branches confirmed").atMost(PHASE_TWO).untilAsserted(() -> {
            assertThat(wallet("alice")).isEqualTo(new Wallet("alice", alice.available() - 30, 0, 0));
            assertThat(wallet("bob")).isEqualTo(new Wallet("bob", bob.available() + 30, 0, 0));
        });
    }

    @Test
    void failureInTheInitiatorAfterBothTriesCancelsBothWithTheirContext() {
        String id = id();
        transfer(new TransferRequest(id, "alice", "bob", 10));
        await("the first transfer confirmed").atMost(PHASE_TWO)
            .untilAsserted(() -> assertThat(wallet("bob").incoming()).isZero());
        Wallet alice = wallet("alice");
        Wallet bob = wallet("bob");

        // both tries succeed (alice's 20 frozen, bob's 20 incoming), then the initiator's own insert fails on the id
        ResponseEntity<String> answer = transfer(new TransferRequest(id, "alice", "bob", 20));

        assertThat(answer.getStatusCode()).isEqualTo(HttpStatus.CONFLICT);
        assertThat(answer.getBody()).contains("id already used");
        // rollbackDebit and rollbackCredit read owner and amount from their contexts: only with the try's values
        // there do the 20 go back
        await("both branches cancelled").atMost(PHASE_TWO).untilAsserted(() -> {
            assertThat(wallet("alice")).isEqualTo(alice);
            assertThat(wallet("bob")).isEqualTo(bob);
        });
        assertThat(fence().queryForList("SELECT resource, status, payload FROM flotilla_tx_fence WHERE payload LIKE ?",
                "%\"amount\":20,\"transferId\":\"" + id + "\"%"))
            .extracting(row -> row.get("RESOURCE") + " " + row.get("STATUS") + " " + row.get("PAYLOAD"))
            .containsExactlyInAnyOrder(
                    "wallet-debit CANCELLED {\"owner\":\"alice\",\"amount\":20,\"transferId\":\"" + id + "\"}",
                    "wallet-credit CANCELLED {\"owner\":\"bob\",\"amount\":20,\"transferId\":\"" + id + "\"}");
    }

    @Test
    void transferRefusedByTheWalletIsCancelled() {
        Wallet alice = wallet("alice");

        ResponseEntity<String> answer = transfer(new TransferRequest(id(), "alice", "nobody", 15));

        assertThat(answer.getStatusCode()).isEqualTo(HttpStatus.CONFLICT);
        assertThat(answer.getBody()).contains("No wallet of 'nobody'");
        await("alice's debit cancelled").atMost(PHASE_TWO).untilAsserted(() -> assertThat(wallet("alice")).isEqualTo(alice));
    }

    @Test
    void commitThatFailsIsCalledAgainUntilItSucceeds() {
        fence().execute("CREATE TRIGGER IF NOT EXISTS fail_carol_receives BEFORE UPDATE ON wallet FOR EACH ROW CALL '"
                + FailingReceives.class.getName() + "'");
        Wallet alice = wallet("alice");

        ResponseEntity<String> answer = transfer(new TransferRequest(id(), "alice", "carol", 7));

        assertThat(answer.getStatusCode()).isEqualTo(HttpStatus.CREATED);
        await("carol's credit confirmed after its failed commits").atMost(PHASE_TWO).untilAsserted(() -> {
            assertThat(wallet("carol")).isEqualTo(new Wallet("carol", 7, 0, 0));
            assertThat(wallet("alice")).isEqualTo(new Wallet("alice", alice.available() - 7, 0, 0));
        });
        assertThat(FailingReceives.failed).hasValue(FailingReceives.FAILURES);
    }

    private static ResponseEntity<String> transfer(TransferRequest request) {
        return transfers.post().uri("/api/transfers").body(request).retrieve()
            .onStatus(status -> true, (req, response) -> { })
            .toEntity(String.class);
    }

    private static Wallet wallet(String owner) {
        return wallets.get().uri("/api/wallets/{owner}", Map.of("owner", owner)).retrieve().body(Wallet.class);
    }

    /** The wallet's own database, where the starter keeps its fence rows beside the wallets. */
    private static JdbcTemplate fence() {
        return new JdbcTemplate(wallet.getBean(DataSource.class));
    }

    private static String id() {
        return UUID.randomUUID().toString();
    }

    /** Started as its main class starts it, with the coordinator's settings as command-line arguments over its file's. */
    private static ConfigurableApplicationContext application(Class<?> type, String configName, String... properties) {
        List<String> arguments = new ArrayList<>(flotilla.arguments());
        arguments.add("--server.port=0");
        Arrays.stream(properties).map(property -> "--" + property).forEach(arguments::add);
        return new SpringApplicationBuilder(type).properties("spring.config.name=" + configName)
            .run(arguments.toArray(String[]::new));
    }

    private static int port(ConfigurableApplicationContext context) {
        return Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
    }
}
