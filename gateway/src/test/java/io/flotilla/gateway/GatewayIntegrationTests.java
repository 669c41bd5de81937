package io.flotilla.gateway;

import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

import io.flotilla.loadbalancer.core.InFlightCounters;
import io.flotilla.loadbalancer.core.OutlierDetector;
import io.flotilla.loadbalancer.stats.InstanceMetricsLoadBalancerLifecycle;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.cloud.circuitbreaker.resilience4j.ReactiveResilience4JCircuitBreakerFactory;
import org.springframework.http.MediaType;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gateway on a random port in front of six real HTTP backends on 127.0.0.1 (three per service),
 * registered through simple discovery, called over real HTTP.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "flotilla.loadbalancer.services.inventory-service.algorithm=weighted-round-robin",
        "flotilla.gateway.circuit-breaker.sliding-window-size=6",
        "flotilla.gateway.circuit-breaker.minimum-number-of-calls=6",
        "flotilla.gateway.circuit-breaker.wait-duration-in-open-state=60s",
        "flotilla.gateway.circuit-breaker.timeout=1s",
        "flotilla.loadbalancer.outlier-detection.consecutive-failures=3" })
@AutoConfigureWebTestClient
@ActiveProfiles("standalone")
@Timeout(60)
class GatewayIntegrationTests {

    private static final List<Backend> ORDERS = List.of(Backend.start("order-0"), Backend.start("order-1"),
            Backend.start("order-2"));

    private static final List<Backend> INVENTORY = List.of(Backend.start("inventory-0"), Backend.start("inventory-1"),
            Backend.start("inventory-2"));

    @DynamicPropertySource
    static void backends(DynamicPropertyRegistry registry) {
        for (int i = 0; i < 3; i++) {
            Backend order = ORDERS.get(i);
            registry.add("spring.cloud.discovery.client.simple.instances.order-service[" + i + "].uri", order::uri);
            Backend inventory = INVENTORY.get(i);
            int weight = i + 1;
            registry.add("spring.cloud.discovery.client.simple.instances.inventory-service[" + i + "].uri", inventory::uri);
            registry.add("spring.cloud.discovery.client.simple.instances.inventory-service[" + i + "].metadata.weight",
                    () -> Integer.toString(weight));
        }
    }

    @AfterAll
    static void stopBackends() {
        ORDERS.forEach(Backend::stop);
        INVENTORY.forEach(Backend::stop);
    }

    @Autowired
    private WebTestClient client;

    @Autowired
    private ReactiveResilience4JCircuitBreakerFactory circuitBreakers;

    @Autowired
    private InFlightCounters inFlight;

    @Autowired
    private OutlierDetector outliers;

    @Autowired
    private MeterRegistry meters;

    @BeforeEach
    void resetBackendsAndBreakers() {
        ORDERS.forEach(Backend::reset);
        INVENTORY.forEach(Backend::reset);
        CircuitBreakerRegistry registry = circuitBreakers.getCircuitBreakerRegistry();
        registry.getAllCircuitBreakers().forEach(CircuitBreaker::reset);
        outliers.clear();
        client = client.mutate().responseTimeout(Duration.ofSeconds(20)).build();
    }

    @Test
    void roundRobinSpreadsOrdersEvenlyOverTheBackends() {
        for (int i = 0; i < 30; i++) {
            client.get().uri("/api/orders/" + i).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.path").isEqualTo("/api/orders/" + i);
        }
        assertThat(ORDERS).extracting(Backend::gets).containsExactly(10, 10, 10);
    }

    @Test
    void smoothWeightedRoundRobinFollowsInstanceWeights() {
        for (int i = 0; i < 60; i++) {
            client.get().uri("/api/products/" + i).exchange().expectStatus().isOk();
        }
        assertThat(INVENTORY).extracting(Backend::gets).containsExactly(10, 20, 30);
    }

    @Test
    void killedBackendIsEjectedAndTrafficFlowsToTheOthersWithNoClientErrors() {
        Backend killed = ORDERS.get(1);
        double handedToKilledBefore = requestsHandedTo(killed);
        killed.stop();
        for (int i = 0; i < 60; i++) {
            client.get().uri("/api/orders/" + i).exchange().expectStatus().isOk();
        }
        assertThat(ORDERS.get(0).gets() + ORDERS.get(2).gets()).isEqualTo(60);
        assertThat(ORDERS.get(0).gets()).isGreaterThanOrEqualTo(25);
        assertThat(ORDERS.get(2).gets()).isGreaterThanOrEqualTo(25);
        // the instance's breaker opened after its third refused connection (each one retried elsewhere):
        // from then on the load balancer never handed it another request
        assertThat(outliers.isEjected(key(killed))).isTrue();
        assertThat(requestsHandedTo(killed) - handedToKilledBefore).isEqualTo(3);
        // the route's breaker saw only successes
        assertThat(breaker("order-service").getState()).isEqualTo(CircuitBreaker.State.CLOSED);
        String prometheus = client.get().uri("/actuator/prometheus").exchange().expectStatus().isOk()
            .expectBody(String.class).returnResult().getResponseBody();
        assertThat(prometheus).containsPattern("flotilla_loadbalancer_ejected\\{[^}]*instance=\"127\\.0\\.0\\.1:"
                + port(killed) + "\"[^}]*} 1\\.0");
    }

    @Test
    void backendAnswering503IsEjectedWhileRetriedGetsSucceed() {
        Backend failing = ORDERS.get(2);
        failing.mode(Backend.Mode.FAIL_503);
        for (int i = 0; i < 30; i++) {
            client.get().uri("/api/orders/" + i).exchange().expectStatus().isOk();
        }
        assertThat(failing.gets()).isEqualTo(3);
        assertThat(outliers.isEjected(key(failing))).isTrue();
        assertThat(ORDERS.get(0).gets() + ORDERS.get(1).gets()).isEqualTo(30);
    }

    private double requestsHandedTo(Backend backend) {
        Counter counter = meters.find(InstanceMetricsLoadBalancerLifecycle.REQUESTS)
            .tags("service", "order-service", "instance", "127.0.0.1:" + port(backend)).counter();
        return counter == null ? 0 : counter.count();
    }

    private static String key(Backend backend) {
        return "order-service/127.0.0.1:" + port(backend);
    }

    @Test
    void breakerOpensWhenEveryBackendFailsAndAnswersWithProblemDetails() {
        INVENTORY.forEach(Backend::stop);
        for (int i = 0; i < 6; i++) {
            client.get().uri("/api/products/1").exchange()
                .expectStatus().isEqualTo(503)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.title").isEqualTo("Upstream unavailable")
                .jsonPath("$.status").isEqualTo(503)
                .jsonPath("$.instance").isEqualTo("/api/products/1");
        }
        assertThat(breaker("inventory-service").getState()).isEqualTo(CircuitBreaker.State.OPEN);
        INVENTORY.forEach(Backend::start);
        client.get().uri("/api/products/1").exchange()
            .expectStatus().isEqualTo(503)
            .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
            .expectBody().jsonPath("$.title").isEqualTo("Circuit breaker open")
            .jsonPath("$.route").isEqualTo("inventory-service")
            .jsonPath("$.trace").doesNotExist();
        // open means the backends, although back, are not called
        assertThat(INVENTORY).extracting(Backend::gets).containsOnly(0);
        // the other route has its own breaker
        client.get().uri("/api/orders/1").exchange().expectStatus().isOk();
    }

    @Test
    void postIsNeverRetriedWhileGetIs() {
        ORDERS.forEach(backend -> backend.mode(Backend.Mode.FAIL_503));
        client.post().uri("/api/orders").contentType(MediaType.APPLICATION_JSON).bodyValue("{\"sku\":\"a\"}")
            .exchange().expectStatus().isEqualTo(503)
            .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(ORDERS.stream().mapToInt(Backend::posts).sum()).isEqualTo(1);

        client.get().uri("/api/orders/7").exchange().expectStatus().isEqualTo(503);
        assertThat(ORDERS.stream().mapToInt(Backend::gets).sum()).isEqualTo(3);
    }

    @Test
    void slowUpstreamTimesOutWith504ProblemDetailsAndIsNoLongerCountedInFlight() throws InterruptedException {
        ORDERS.forEach(backend -> backend.mode(Backend.Mode.SLOW));
        client.get().uri("/api/orders/slow").exchange()
            .expectStatus().isEqualTo(504)
            .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
            .expectBody().jsonPath("$.title").isEqualTo("Upstream timeout");
        // the time limiter cancels the upstream call; a cancelled request must not stay counted in flight
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (totalInFlight() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(totalInFlight()).isZero();
    }

    private int totalInFlight() {
        return ORDERS.stream().mapToInt(backend -> inFlight.inFlight("order-service/" + backend.uri().substring(7))).sum();
    }

    @Test
    void unknownPathIs404ProblemDetails() {
        client.get().uri("/nowhere").exchange()
            .expectStatus().isNotFound()
            .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
            .expectBody().jsonPath("$.title").isEqualTo("No route")
            .jsonPath("$.status").isEqualTo(404)
            .jsonPath("$.trace").doesNotExist();
    }

    @Test
    void actuatorShowsRoutesHealthAndPerRouteAndPerInstanceMetrics() {
        IntStream.range(0, 3).forEach(i -> client.get().uri("/api/orders/" + i).exchange().expectStatus().isOk());
        client.get().uri("/actuator/health").exchange().expectStatus().isOk()
            .expectBody().jsonPath("$.status").isEqualTo("UP");
        client.get().uri("/actuator/gateway/routes").exchange().expectStatus().isOk()
            .expectBody().jsonPath("$[?(@.route_id == 'order-service')].uri").isEqualTo("lb://order-service");
        String prometheus = client.get().uri("/actuator/prometheus").exchange().expectStatus().isOk()
            .expectBody(String.class).returnResult().getResponseBody();
        assertThat(prometheus).contains("spring_cloud_gateway_requests_seconds_count{")
            .containsPattern("flotilla_loadbalancer_requests_total\\{[^}]*instance=\"127\\.0\\.0\\.1:" + port(ORDERS.get(0)))
            .contains("routeId=\"order-service\"");
    }

    private static String port(Backend backend) {
        return backend.uri().substring(backend.uri().lastIndexOf(':') + 1);
    }

    private CircuitBreaker breaker(String name) {
        return circuitBreakers.getCircuitBreakerRegistry().circuitBreaker(name);
    }
}
