package io.flotilla.gateway;

import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/** The LocalRateLimit filter of the configured routes, with a small allowance, over real HTTP. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "flotilla.gateway.rate-limit.limit-for-period=5", "flotilla.gateway.rate-limit.refresh-period=300s" })
// generous: a cold gateway on a busy machine can take seconds per request, and the window must not roll over
@AutoConfigureWebTestClient(timeout = "PT30S")
@ActiveProfiles("standalone")
@Timeout(180)
class GatewayRateLimitIntegrationTests {

    private static final Backend ORDERS = Backend.start("order-0");

    private static final Backend INVENTORY = Backend.start("inventory-0");

    @DynamicPropertySource
    static void backends(DynamicPropertyRegistry registry) {
        registry.add("spring.cloud.discovery.client.simple.instances.order-service[0].uri", ORDERS::uri);
        registry.add("spring.cloud.discovery.client.simple.instances.inventory-service[0].uri", INVENTORY::uri);
    }

    @AfterAll
    static void stopBackends() {
        List.of(ORDERS, INVENTORY).forEach(Backend::stop);
    }

    @Autowired
    private WebTestClient client;

    @Test
    void requestsOverTheLimitGet429ProblemDetailsWithRetryAfterAndEachRouteHasItsOwnLimit() {
        for (int i = 0; i < 5; i++) {
            client.get().uri("/api/orders/" + i).exchange().expectStatus().isOk();
        }
        EntityExchangeResult<String> rejected = client.get().uri("/api/orders/5").exchange()
            .expectStatus().isEqualTo(429)
            .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
            .expectBody(String.class).returnResult();
        long retryAfter = Long.parseLong(rejected.getResponseHeaders().getFirst(HttpHeaders.RETRY_AFTER));
        assertThat(retryAfter).isBetween(1L, 300L);
        assertThat(rejected.getResponseBody()).contains("\"status\":429").contains("\"title\":\"Too many requests\"")
            .contains("\"instance\":\"/api/orders/5\"");
        assertThat(ORDERS.gets()).isEqualTo(5);

        for (int i = 0; i < 5; i++) {
            client.get().uri("/api/products/" + i).exchange().expectStatus().isOk();
        }
        client.get().uri("/api/products/5").exchange().expectStatus().isEqualTo(429)
            .expectHeader().exists(HttpHeaders.RETRY_AFTER);
        assertThat(INVENTORY.gets()).isEqualTo(5);
    }
}
