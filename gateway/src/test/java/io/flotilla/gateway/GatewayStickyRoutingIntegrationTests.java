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
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/** Client-keyed algorithms through the gateway: ip-hash on X-Forwarded-For, consistent hash on a header. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "flotilla.loadbalancer.services.order-service.algorithm=ip-hash",
        "flotilla.loadbalancer.services.inventory-service.algorithm=consistent-hash",
        "flotilla.loadbalancer.services.inventory-service.hash-header=X-Cart" })
@AutoConfigureWebTestClient(timeout = "PT30S")
@ActiveProfiles("standalone")
@Timeout(120)
class GatewayStickyRoutingIntegrationTests {

    private static final List<Backend> ORDERS = List.of(Backend.start("order-0"), Backend.start("order-1"),
            Backend.start("order-2"));

    private static final List<Backend> INVENTORY = List.of(Backend.start("inventory-0"), Backend.start("inventory-1"),
            Backend.start("inventory-2"));

    @DynamicPropertySource
    static void backends(DynamicPropertyRegistry registry) {
        for (int i = 0; i < 3; i++) {
            registry.add("spring.cloud.discovery.client.simple.instances.order-service[" + i + "].uri", ORDERS.get(i)::uri);
            registry.add("spring.cloud.discovery.client.simple.instances.inventory-service[" + i + "].uri",
                    INVENTORY.get(i)::uri);
        }
    }

    @AfterAll
    static void stopBackends() {
        ORDERS.forEach(Backend::stop);
        INVENTORY.forEach(Backend::stop);
    }

    @Autowired
    private WebTestClient client;

    @Test
    void ipHashKeepsEachClientOnOneBackendAndSpreadsClients() {
        Set<String> reached = new HashSet<>();
        for (int client = 0; client < 30; client++) {
            String address = "198.51.100." + client;
            Set<String> perClient = new HashSet<>();
            for (int i = 0; i < 5; i++) {
                perClient.add(backendOf("/api/orders/" + i, "X-Forwarded-For", address + ", 10.0.0.1"));
            }
            assertThat(perClient).as("backends seen by %s", address).hasSize(1);
            reached.addAll(perClient);
        }
        assertThat(reached).containsExactlyInAnyOrder("order-0", "order-1", "order-2");
    }

    @Test
    void consistentHashKeepsACartOnOneBackend() {
        Set<String> reached = new HashSet<>();
        for (int cart = 0; cart < 30; cart++) {
            Set<String> perCart = new HashSet<>();
            for (int i = 0; i < 5; i++) {
                perCart.add(backendOf("/api/products/" + i, "X-Cart", "cart-" + cart));
            }
            assertThat(perCart).hasSize(1);
            reached.addAll(perCart);
        }
        assertThat(reached).containsExactlyInAnyOrder("inventory-0", "inventory-1", "inventory-2");
    }

    private String backendOf(String path, String header, String value) {
        String body = client.get().uri(path).header(header, value).exchange().expectStatus().isOk()
            .expectBody(String.class).returnResult().getResponseBody();
        return body.substring(body.indexOf("\"backend\":\"") + 11, body.indexOf("\",\"method\""));
    }
}
