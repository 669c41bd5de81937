package io.flotilla.gateway;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sticky-session option, as the gateway README documents it: order-service on a consistent hash of the session
 * cookie, so every request of one session (the cart's routes included) reaches the same replica.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "flotilla.loadbalancer.services.order-service.algorithm=consistent-hash",
        "flotilla.loadbalancer.services.order-service.hash-cookie=SESSION" })
@AutoConfigureWebTestClient(timeout = "PT30S")
@ActiveProfiles("standalone")
@Timeout(120)
class GatewaySessionStickinessIntegrationTests {

    private static final List<Backend> ORDERS = List.of(Backend.start("order-0"), Backend.start("order-1"),
            Backend.start("order-2"));

    @DynamicPropertySource
    static void backends(DynamicPropertyRegistry registry) {
        for (int i = 0; i < ORDERS.size(); i++) {
            registry.add("spring.cloud.discovery.client.simple.instances.order-service[" + i + "].uri", ORDERS.get(i)::uri);
        }
    }

    @AfterAll
    static void stopBackends() {
        ORDERS.forEach(Backend::stop);
    }

    @Autowired
    private WebTestClient client;

    @Test
    void everyRequestOfASessionReachesOneReplicaAndSessionsSpread() {
        Set<String> reached = new HashSet<>();
        for (int session = 0; session < 30; session++) {
            String cookie = "session-" + session;
            Set<String> perSession = new HashSet<>();
            perSession.add(backendOf(client.get().uri("/api/cart"), cookie));
            perSession.add(backendOf(client.put().uri("/api/cart/items/FLT-MUG").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"quantity\":1}"), cookie));
            perSession.add(backendOf(client.delete().uri("/api/cart/items/FLT-MUG"), cookie));
            perSession.add(backendOf(client.post().uri("/api/cart/checkout").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"userId\":\"alice\"}"), cookie));
            perSession.add(backendOf(client.get().uri("/api/orders?userId=alice"), cookie));
            assertThat(perSession).as("replicas seen by session %s", cookie).hasSize(1);
            reached.addAll(perSession);
        }
        assertThat(reached).containsExactlyInAnyOrder("order-0", "order-1", "order-2");
    }

    private static String backendOf(WebTestClient.RequestHeadersSpec<?> request, String session) {
        String body = request.cookie("SESSION", session).exchange().expectStatus().isOk()
            .expectBody(String.class).returnResult().getResponseBody();
        return body.substring(body.indexOf("\"backend\":\"") + 11, body.indexOf("\",\"method\""));
    }
}
