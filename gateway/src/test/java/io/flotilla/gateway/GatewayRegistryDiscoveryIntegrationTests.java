package io.flotilla.gateway;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.flotilla.registry.client.InstanceSpec;
import io.flotilla.registry.client.RegistryClient;
import io.flotilla.testsupport.process.TestRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.discovery.ReactiveDiscoveryClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gateway as shipped (registry discovery, no standalone profile) against a real registry-service running
 * as its own process (its executable jar, Raft log on disk, HTTP on a free port) and real HTTP backends on
 * 127.0.0.1 registered in it with {@link RegistryClient}: routes reach the registered backends, and an
 * instance whose status is not {@code UP} (draining, down) never gets a request, including one that changes
 * status while the gateway runs.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "flotilla.registry.watch-wait=2s")
@AutoConfigureWebTestClient
@Timeout(180)
class GatewayRegistryDiscoveryIntegrationTests {

    private static final Duration EVENTUALLY = Duration.ofSeconds(30);

    private static final TestRegistry REGISTRY = TestRegistry.builder("gateway-test-registry").start();

    private static final RegistryClient REGISTRY_CLIENT = RegistryClient.builder().address(REGISTRY.address()).build();

    private static final Backend UP_A = Backend.start("order-up-a");

    private static final Backend UP_B = Backend.start("order-up-b");

    private static final Backend DRAINING = Backend.start("order-draining");

    static {
        register(UP_A, "UP");
        register(UP_B, "UP");
        register(DRAINING, "DRAINING");
    }

    @DynamicPropertySource
    static void registry(DynamicPropertyRegistry registry) {
        registry.add("flotilla.registry.addresses[0]", () -> REGISTRY.address().toString());
    }

    @AfterAll
    static void stopEverything() {
        List.of(UP_A, UP_B, DRAINING).forEach(Backend::stop);
        REGISTRY.close();
    }

    @Autowired
    private WebTestClient client;

    @Autowired
    private ReactiveDiscoveryClient discovery;



    @Test
    void routesToRegisteredInstancesAndNeverToOnesThatAreNotUp() throws InterruptedException {
        client = client.mutate().responseTimeout(Duration.ofSeconds(20)).build();
        for (int i = 0; i < 40; i++) {
            client.get().uri("/api/orders/" + i).exchange().expectStatus().isOk();
        }
        assertThat(UP_A.gets()).isEqualTo(20);
        assertThat(UP_B.gets()).isEqualTo(20);
        assertThat(DRAINING.gets()).isZero();

        // B starts draining while the gateway runs: once the registry's change reaches the gateway's watch,
        // B gets nothing more
        register(UP_B, "DRAINING");
        awaitStatus(UP_B, "DRAINING");
        List.of(UP_A, UP_B, DRAINING).forEach(Backend::reset);
        for (int i = 0; i < 30; i++) {
            client.get().uri("/api/orders/" + i).exchange().expectStatus().isOk();
        }
        assertThat(UP_A.gets()).isEqualTo(30);
        assertThat(UP_B.gets()).isZero();
        assertThat(DRAINING.gets()).isZero();

        // and back
        register(UP_B, "UP");
        awaitStatus(UP_B, "UP");
        UP_A.reset();
        for (int i = 0; i < 30; i++) {
            client.get().uri("/api/orders/" + i).exchange().expectStatus().isOk();
        }
        assertThat(UP_A.gets()).isEqualTo(15);
        assertThat(UP_B.gets()).isEqualTo(15);
        assertThat(DRAINING.gets()).isZero();
    }

    private void awaitStatus(Backend backend, String status) throws InterruptedException {
        long deadline = System.nanoTime() + EVENTUALLY.toNanos();
        String seen = null;
        while (System.nanoTime() < deadline) {
            seen = discovery.getInstances("order-service")
                .filter(instance -> instance.getPort() == port(backend))
                .map(ServiceInstance::getMetadata)
                .map(metadata -> metadata.getOrDefault("status", "UP"))
                .blockFirst(Duration.ofSeconds(10));
            if (status.equals(seen)) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError(backend.name() + " still has status " + seen + " in discovery after " + EVENTUALLY);
    }

    private static void register(Backend backend, String status) {
        REGISTRY_CLIENT.register("order-service", new InstanceSpec(backend.name(), "127.0.0.1", port(backend), false,
                Map.of("status", status), "", 1, Duration.ofMinutes(5)));
    }

    private static int port(Backend backend) {
        return URI.create(backend.uri()).getPort();
    }
}
