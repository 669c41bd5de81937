package io.flotilla.examples.payments;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.flotilla.examples.payments.WalletClient.Wallet;
import io.flotilla.test.EmbeddedFlotilla;
import io.flotilla.test.EmbeddedFlotillaServers;
import io.flotilla.tx.api.TransactionMode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.discovery.DiscoveryClient;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Both examples against a real registry and coordinator (@EmbeddedFlotilla): this application in the test's
 * context, the wallet as a process of its own, given only the properties @EmbeddedFlotilla sets.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@EmbeddedFlotilla
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TransferEndToEndIntegrationTests {

    private static final Duration PHASE_TWO = Duration.ofSeconds(60);

    @Autowired
    EmbeddedFlotillaServers flotilla;

    @Autowired
    DiscoveryClient discovery;

    @LocalServerPort
    int port;

    WalletProcess wallet;
    RestClient payments;
    RestClient wallets;

    @BeforeAll
    void startWallet() {
        wallet = WalletProcess.start(flotilla.arguments());
        payments = RestClient.create("http://127.0.0.1:" + port);
        wallets = RestClient.create(wallet.address().toString());
        await("the wallet registered and seen by payments' discovery").atMost(Duration.ofMinutes(1))
            .until(() -> discovery.getInstances("wallet").stream().anyMatch(i -> i.getPort() == wallet.port()));
    }

    @AfterAll
    void stopWallet() {
        if (wallet != null) {
            wallet.close();
        }
    }

    @Test
    void transferCommitsThroughDiscoveryAndTheCoordinator() {
        Wallet alice = wallet("alice");
        Wallet bob = wallet("bob");

        ResponseEntity<Transfer> answer = payments.post().uri("/api/transfers")
            .body(new TransferRequest("alice", "bob", 30))
            .retrieve()
            .toEntity(Transfer.class);

        assertThat(answer.getStatusCode()).isEqualTo(HttpStatus.CREATED);
        assertThat(answer.getBody().id()).isPositive();
        // payments called http://wallet: only the registry knows where that is
        List<ServiceInstance> instances = discovery.getInstances("wallet");
        assertThat(instances).extracting(ServiceInstance::getPort).containsExactly(wallet.port());
        // the wallet joined the global transaction: the coordinator's confirms moved the money on
        await("confirmed").atMost(PHASE_TWO).untilAsserted(() -> {
            assertThat(wallet("alice")).isEqualTo(new Wallet("alice", alice.available() - 30, 0, 0));
            assertThat(wallet("bob")).isEqualTo(new Wallet("bob", bob.available() + 30, 0, 0));
        });
    }

    @Test
    void transferThatFailsHalfWayIsCancelled() {
        Wallet alice = wallet("alice");

        ResponseEntity<ProblemDetail> answer = payments.post().uri("/api/transfers")
            .body(new TransferRequest("alice", "nobody", 20))
            .retrieve()
            .onStatus(status -> true, (request, response) -> { })
            .toEntity(ProblemDetail.class);

        assertThat(answer.getStatusCode()).isEqualTo(HttpStatus.CONFLICT);
        assertThat(answer.getBody().getDetail()).isEqualTo("Transfer cancelled: No wallet of 'nobody'");
        // alice's debit had been tried (20 frozen); the coordinator's cancel gave it back
        await("cancelled").atMost(PHASE_TWO)
            .untilAsserted(() -> assertThat(wallet("alice")).isEqualTo(alice));
    }

    @Test
    void xaTransferCommitsThroughTheCoordinator() {
        Wallet alice = wallet("alice");
        Wallet bob = wallet("bob");

        ResponseEntity<Transfer> answer = payments.post().uri("/api/transfers")
            .body(new TransferRequest("alice", "bob", 25, TransactionMode.XA))
            .retrieve()
            .toEntity(Transfer.class);

        assertThat(answer.getStatusCode()).isEqualTo(HttpStatus.CREATED);
        // both branches were prepared in the wallet's H2 (nothing visible yet); the coordinator's commits publish them
        await("committed").atMost(PHASE_TWO).untilAsserted(() -> {
            assertThat(wallet("alice")).isEqualTo(new Wallet("alice", alice.available() - 25, 0, 0));
            assertThat(wallet("bob")).isEqualTo(new Wallet("bob", bob.available() + 25, 0, 0));
        });
    }

    @Test
    void xaTransferThatFailsHalfWayIsRolledBack() {
        Wallet alice = wallet("alice");
        Wallet bob = wallet("bob");

        ResponseEntity<ProblemDetail> answer = payments.post().uri("/api/transfers")
            .body(new TransferRequest("alice", "nobody", 20, TransactionMode.XA))
            .retrieve()
            .onStatus(status -> true, (request, response) -> { })
            .toEntity(ProblemDetail.class);

        assertThat(answer.getStatusCode()).isEqualTo(HttpStatus.CONFLICT);
        assertThat(answer.getBody().getDetail()).isEqualTo("Transfer cancelled: No wallet of 'nobody'");
        // alice's debit had been prepared, holding her row: a later XA transfer from alice goes through only once the
        // coordinator has rolled it back (an attempt refused meanwhile changes nothing), and the balances then show
        // that the failed debit was undone, not committed
        await("the prepared debit rolled back, alice's row free again").atMost(PHASE_TWO)
            .until(() -> payments.post().uri("/api/transfers")
                .body(new TransferRequest("alice", "bob", 1, TransactionMode.XA))
                .retrieve()
                .onStatus(status -> true, (request, response) -> { })
                .toBodilessEntity()
                .getStatusCode() == HttpStatus.CREATED);
        await("the follow-up committed").atMost(PHASE_TWO).untilAsserted(() -> {
            assertThat(wallet("alice")).isEqualTo(new Wallet("alice", alice.available() - 1, 0, 0));
            assertThat(wallet("bob")).isEqualTo(new Wallet("bob", bob.available() + 1, 0, 0));
        });
    }

    private Wallet wallet(String owner) {
        return wallets.get().uri("/api/wallets/{owner}", Map.of("owner", owner)).retrieve().body(Wallet.class);
    }
}
