package io.flotilla.registry.client;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Answers that break the registry's contract fail naming the field, instead of turning into defaults. */
class RegistryClientContractTests {

    private HttpServer server;

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void anInstanceListWrappedInAnObjectIsRefused() {
        RegistryClient client = clientOf(200, "{\"instances\":[]}", true);

        assertThatThrownBy(() -> client.instances("orders", QueryOptions.DEFAULT))
            .isInstanceOf(RegistryException.class)
            .hasMessageContaining("does not match the contract");
    }

    @Test
    void anInstanceWithoutAPortNamesTheField() {
        RegistryClient client = clientOf(200, "[{\"service\":\"orders\",\"instanceId\":\"o-1\",\"host\":\"h\","
                + "\"secure\":false,\"metadata\":{},\"zone\":\"\",\"weight\":1,\"leaseId\":2,\"status\":\"UP\","
                + "\"createIndex\":3,\"modIndex\":3}]", true);

        assertThatThrownBy(() -> client.instances("orders", QueryOptions.DEFAULT))
            .isInstanceOf(RegistryException.class)
            .hasMessageContaining("at field '[0].port'");
    }

    @Test
    void aReadWithoutTheIndexHeaderIsRefused() {
        RegistryClient client = clientOf(200, "[\"orders\"]", false);

        assertThatThrownBy(() -> client.services(QueryOptions.DEFAULT))
            .isInstanceOf(RegistryException.class)
            .hasMessageContaining("X-Flotilla-Index");
    }

    @Test
    void anAnswerThatMatchesTheContractIsRead() {
        RegistryClient client = clientOf(200, "[\"orders\",\"stock\"]", true);

        assertThat(client.services(QueryOptions.DEFAULT)).isEqualTo(new Indexed<>(List.of("orders", "stock"), 7));
    }

    private RegistryClient clientOf(int status, String body, boolean withIndex) {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        }
        catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.createContext("/", exchange -> {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            if (withIndex) {
                exchange.getResponseHeaders().add("X-Flotilla-Index", "7");
            }
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
        return RegistryClient.builder().address(URI.create("http://127.0.0.1:" + server.getAddress().getPort()))
            .build();
    }
}
