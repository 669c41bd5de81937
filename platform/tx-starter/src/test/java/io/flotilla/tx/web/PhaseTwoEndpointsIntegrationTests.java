package io.flotilla.tx.web;

import io.flotilla.raft.client.FlotillaHeaders;
import io.flotilla.raft.client.RequestSignature;
import io.flotilla.tx.it.ledger.LedgerApplication;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import io.flotilla.tx.api.TxProblemType;
import org.springframework.http.ProblemDetail;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.client.HttpClientErrorException;
import org.springframework.web.client.RestClient;

import javax.sql.DataSource;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The phase-two endpoints of a real participant (the test ledger on H2, over HTTP): only calls signed with one of
 * its keys, fresh and not seen before, get through; bad bodies are 400 and oversized ones 413, all as problem
 * details naming nothing internal, and none of them writes a fence row.
 */
class PhaseTwoEndpointsIntegrationTests {

    private static final String OLD_KEY = "old-phase-two-key-for-rotation-0123456789";
    private static final String NEW_KEY = "new-phase-two-key-for-rotation-0123456789";
    private static final String CANCEL = "/flotilla/tx/tcc/debit/cancel";

    private static ConfigurableApplicationContext participant;
    private static String baseUrl;
    private static JdbcTemplate jdbc;
    private static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void startParticipant() {
        // spring.config.name keeps the coordinator's application.yml (also on this class path) out, and the
        // readiness group the Raft kit's defaults (also on it) would give every application with it.
        participant = new SpringApplicationBuilder(LedgerApplication.class)
            .run("--spring.config.name=ledger", "--server.port=0",
                    "--management.endpoint.health.group.readiness.include=readinessState", "--spring.application.name=phase-two-endpoints",
                    "--spring.datasource.url=jdbc:h2:mem:phase-two-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1",
                    "--flotilla.tx.coordinator.addresses=http://127.0.0.1:1",
                    "--flotilla.tx.participant.signing-keys=" + NEW_KEY + "," + OLD_KEY);
        baseUrl = "http://127.0.0.1:" + ((WebServerApplicationContext) participant).getWebServer().getPort();
        jdbc = new JdbcTemplate(participant.getBean(DataSource.class));
    }

    @AfterAll
    static void stopParticipant() {
        participant.close();
    }

    @Test
    void branchMethodsCalledOutsideAGlobalTransactionAreA400ProblemTheCallersExceptionNames() {
        RestClient client = RestClient.builder().baseUrl(baseUrl).build();
        assertThatThrownBy(() -> client.post().uri("/ledger/tcc/nobody/debit?amount=5").retrieve().toBodilessEntity())
            .isInstanceOfSatisfying(HttpClientErrorException.class, e -> {
                assertThat(e.getStatusCode().value()).isEqualTo(400);
                assertThat(e.getResponseHeaders().getContentType()).hasToString("application/problem+json");
                assertThat(e.getResponseBodyAs(ProblemDetail.class).getType())
                    .isEqualTo(TxProblemType.NO_GLOBAL_TRANSACTION.uri());
            })
            .hasMessageContaining("400")
            .hasMessageContaining("@TccAction debit was called outside a global transaction")
            .hasMessageContaining("X-Flotilla-Xid");
        assertThatThrownBy(() -> client.post().uri("/ledger/xa/nobody/debit?amount=5").retrieve().toBodilessEntity())
            .isInstanceOf(HttpClientErrorException.BadRequest.class)
            .hasMessageContaining("@XaBranch ledger was called outside a global transaction");
    }

    @Test
    void unsignedWronglySignedStaleAndReplayedCallsAreRefusedAndChangeNothing() throws Exception {
        String xid = "forged-" + UUID.randomUUID();
        byte[] body = body(xid, "7");
        long now = System.currentTimeMillis();

        assertRefused(post(CANCEL, body, null), "unsigned");
        assertRefused(post(CANCEL, body, signed("not-the-participants-key-0123456789abcdef", CANCEL, now, body)),
                "does not match");
        assertRefused(post(CANCEL, body, signed(NEW_KEY, CANCEL, now - Duration.ofMinutes(6).toMillis(), body)), "stale");
        assertRefused(post(CANCEL, body, signed(NEW_KEY, "/flotilla/tx/tcc/debit/confirm", now, body)), "does not match");
        assertRefused(post(CANCEL, body(xid, "8"), signed(NEW_KEY, CANCEL, now, body)), "does not match");
        assertRefused(post("/flotilla/tx/xa/ledger/rollback", body, null), "unsigned");
        assertThat(fenceRows(xid)).isZero();

        String[] genuine = signed(OLD_KEY, CANCEL, now, body);
        HttpResponse<String> accepted = post(CANCEL, body, genuine);
        assertThat(accepted.statusCode()).isEqualTo(200);
        assertThat(accepted.body()).contains("\"empty\"");
        assertThat(fenceRows(xid)).isOne();

        assertRefused(post(CANCEL, body, genuine), "replayed");
    }

    @Test
    void signedCallsWithBadBodiesAre400AndOversizedOnes413() throws Exception {
        for (String bad : new String[] {"", "{", "[]", "null", "{\"xid\":\"x\"}", "{\"xid\":{},\"branchId\":1}",
                "{\"xid\":\"\",\"branchId\":\"1\"}", "{\"xid\":\"a/b\",\"branchId\":\"1\"}",
                "{\"xid\":\"" + "x".repeat(200) + "\",\"branchId\":\"1\"}"}) {
            byte[] body = bad.getBytes(StandardCharsets.UTF_8);
            HttpResponse<String> response = post(CANCEL, body, signed(NEW_KEY, CANCEL, System.currentTimeMillis(), body));
            assertThat(response.statusCode()).as(bad).isEqualTo(400);
            assertProblemWithoutInternals(response);
        }
        byte[] huge = ("{\"xid\":\"" + "x".repeat(100_000) + "\",\"branchId\":\"1\"}").getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> tooLarge = post(CANCEL, huge, signed(NEW_KEY, CANCEL, System.currentTimeMillis(), huge));
        assertThat(tooLarge.statusCode()).isEqualTo(413);
        assertThat(tooLarge.body()).contains(Integer.toString(PhaseTwoSignatureFilter.MAX_BODY_BYTES));
        assertProblemWithoutInternals(tooLarge);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM flotilla_tx_fence WHERE resource = 'debit' "
                + "AND xid NOT LIKE 'forged-%'", Integer.class)).isZero();
    }

    private static void assertRefused(HttpResponse<String> response, String reason) {
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).isPresent();
        assertThat(response.body()).contains(reason);
        assertProblemWithoutInternals(response);
    }

    private static void assertProblemWithoutInternals(HttpResponse<String> response) {
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(response.body()).doesNotContain("io.flotilla", "java.", "Exception")
            .doesNotContainPattern("\\bat [\\w.$]+\\(");
    }

    private static int fenceRows(String xid) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM flotilla_tx_fence WHERE xid = ?", Integer.class, xid);
    }

    private static byte[] body(String xid, String branchId) {
        return ("{\"xid\":\"" + xid + "\",\"branchId\":" + branchId + "}").getBytes(StandardCharsets.UTF_8);
    }

    /** The three signature headers' values: timestamp, nonce, signature. */
    private static String[] signed(String key, String path, long timestamp, byte[] body) {
        String nonce = RequestSignature.newNonce();
        return new String[] {Long.toString(timestamp), nonce, RequestSignature.sign(key, "POST", path, timestamp, nonce, body)};
    }

    private static HttpResponse<String> post(String path, byte[] body, String[] signature)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (signature != null) {
            request.header(FlotillaHeaders.SIGNATURE_TIMESTAMP, signature[0])
                .header(FlotillaHeaders.SIGNATURE_NONCE, signature[1])
                .header(FlotillaHeaders.SIGNATURE, signature[2]);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
