package io.flotilla.test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Configuration;
import org.springframework.test.context.junit.jupiter.SpringJUnitConfig;

import static org.assertj.core.api.Assertions.assertThat;

/** The annotation on a plain Spring test context: both services run, answer with their tokens, and the properties are set. */
@SpringJUnitConfig(EmbeddedFlotillaIntegrationTests.Empty.class)
@EmbeddedFlotilla
class EmbeddedFlotillaIntegrationTests {

    @Autowired
    EmbeddedFlotillaServers flotilla;

    @Value("${flotilla.registry.addresses}")
    String registryAddresses;

    @Value("${flotilla.tx.coordinator.addresses}")
    String coordinatorAddresses;

    @Value("${flotilla.tx.participant.signing-keys}")
    String signingKeys;

    @Test
    void propertiesPointAtTheEmbeddedServers() {
        assertThat(registryAddresses).isEqualTo(flotilla.registryAddress().toString()).startsWith("http://127.0.0.1:");
        assertThat(coordinatorAddresses).isEqualTo(flotilla.coordinatorAddress().toString());
        assertThat(signingKeys).isEqualTo(flotilla.phaseTwoKey()).hasSizeGreaterThanOrEqualTo(32);
    }

    @Test
    void registryTakesWritesWithItsTokenOnly() throws Exception {
        URI key = flotilla.registryAddress().resolve("/v1/kv/embedded-flotilla-test/key");
        assertThat(send(HttpRequest.newBuilder(key).PUT(HttpRequest.BodyPublishers.ofString("v"))).statusCode())
            .isEqualTo(401);
        assertThat(send(HttpRequest.newBuilder(key).header("Authorization", "Bearer " + flotilla.registryToken())
            .PUT(HttpRequest.BodyPublishers.ofString("v"))).statusCode()).isBetween(200, 299);
    }

    @Test
    void coordinatorBeginsTransactionsWithItsToken() throws Exception {
        HttpResponse<String> begun = send(HttpRequest.newBuilder(flotilla.coordinatorAddress().resolve("/v1/transactions"))
            .header("Authorization", "Bearer " + flotilla.coordinatorToken())
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"mode\":\"TCC\",\"timeoutMs\":10000}")));
        assertThat(begun.statusCode()).as(begun.body()).isBetween(200, 299);
        assertThat(begun.body()).contains("\"xid\"");
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Empty {
    }
}
