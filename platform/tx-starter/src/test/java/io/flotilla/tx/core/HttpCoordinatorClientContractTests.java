package io.flotilla.tx.core;

import com.sun.net.httpserver.HttpServer;
import io.flotilla.tx.api.BranchRequest;
import io.flotilla.tx.api.GlobalStatus;
import io.flotilla.tx.api.TransactionMode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Answers that break the coordinator's contract fail naming the field, instead of turning into defaults. */
class HttpCoordinatorClientContractTests {

    private HttpServer server;

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void aBeginAnswerWithoutTimeoutAtNamesTheField() {
        HttpCoordinatorClient client = clientOf(201, "{\"xid\":\"x-1\",\"status\":\"ACTIVE\"}");

        assertThatThrownBy(() -> client.begin(TransactionMode.TCC, Duration.ofSeconds(5), null))
            .isInstanceOf(CoordinatorException.class)
            .hasMessageContaining("at field 'timeoutAt'");
    }

    @Test
    void aBranchIdThatIsNotANumberNamesTheField() {
        HttpCoordinatorClient client = clientOf(201, "{\"branchId\":\"b-7\"}");

        assertThatThrownBy(() -> client.registerBranch("x-1", new BranchRequest("r",
                "http://127.0.0.1:9/c", "http://127.0.0.1:9/c")))
            .isInstanceOf(CoordinatorException.class)
            .hasMessageContaining("at field 'branchId'");
    }

    @Test
    void aStatusOutsideTheContractNamesTheField() {
        HttpCoordinatorClient client = clientOf(200, "{\"xid\":\"x-1\",\"status\":\"DONE\"}");

        assertThatThrownBy(() -> client.commit("x-1"))
            .isInstanceOf(CoordinatorException.class)
            .hasMessageContaining("at field 'status'");
    }

    @Test
    void anAnswerThatMatchesTheContractIsRead() {
        HttpCoordinatorClient client = clientOf(200, "{\"xid\":\"x-1\",\"status\":\"COMMITTED\"}");

        assertThat(client.commit("x-1")).isEqualTo(GlobalStatus.COMMITTED);
    }

    private HttpCoordinatorClient clientOf(int status, String body) {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
        return new HttpCoordinatorClient(List.of(URI.create("http://127.0.0.1:" + server.getAddress().getPort())),
                Duration.ofSeconds(2), Duration.ofSeconds(5));
    }
}
