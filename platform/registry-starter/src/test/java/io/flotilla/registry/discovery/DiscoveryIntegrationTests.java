package io.flotilla.registry.discovery;

import io.flotilla.registry.api.InstanceView;
import io.flotilla.registry.client.InstanceSpec;
import io.flotilla.registry.client.QueryOptions;
import io.flotilla.registry.client.RegistryClient;
import io.flotilla.registry.serviceregistry.FlotillaRegistration;
import io.flotilla.registry.serviceregistry.FlotillaServiceRegistry;
import io.flotilla.registry.support.TestApps;
import io.flotilla.testsupport.process.TestRegistry;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.discovery.DiscoveryClient;
import org.springframework.cloud.client.discovery.ReactiveDiscoveryClient;
import org.springframework.cloud.client.discovery.event.HeartbeatEvent;
import org.springframework.cloud.loadbalancer.cache.LoadBalancerCacheManager;
import org.springframework.cloud.loadbalancer.core.CachingServiceInstanceListSupplier;
import org.springframework.cache.Cache;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Spring Boot applications with the starter against a real registry: one registers on start-up, another (no web
 * server) discovers it through both discovery clients, sees changes through its watches with a
 * {@link HeartbeatEvent}, and sees it go when it shuts down.
 */
class DiscoveryIntegrationTests {

    private static final Duration EVENTUALLY = Duration.ofSeconds(30);

    private static TestRegistry server;

    private static RegistryClient client;

    @BeforeAll
    static void startRegistry() throws Exception {
        server = TestRegistry.shared();
        client = RegistryClient.builder().address(server.address()).build();
    }


    private static List<String> addresses() {
        return List.of(server.address().toString());
    }

    @Test
    void registeredAppIsDiscoveredByAnotherAndDeregistersOnShutdown() {
        ConfigurableApplicationContext orders = TestApps.web("shop-orders", addresses(), "--flotilla.registry.zone=zone-a",
                "--flotilla.registry.weight=5", "--flotilla.registry.version=2.1.0",
                "--flotilla.registry.metadata.team=shop");
        int port = orders.getEnvironment().getProperty("local.server.port", Integer.class);
        try (ConfigurableApplicationContext gateway = TestApps.discoveryOnly("gateway", addresses())) {
            assertThat(client.instances("gateway", QueryOptions.DEFAULT).value())
                .as("an app without a web server registers nothing").isEmpty();

            DiscoveryClient discovery = gateway.getBean(DiscoveryClient.class);
            List<ServiceInstance> instances = discovery.getInstances("shop-orders");
            assertThat(instances).singleElement().satisfies(instance -> {
                assertThat(instance.getHost()).isEqualTo("127.0.0.1");
                assertThat(instance.getPort()).isEqualTo(port);
                assertThat(instance.getUri().toString()).isEqualTo("http://127.0.0.1:" + port);
                assertThat(instance.getMetadata()).containsEntry("status", "UP")
                    .containsEntry("zone", "zone-a")
                    .containsEntry("weight", "5")
                    .containsEntry("version", "2.1.0")
                    .containsEntry("team", "shop");
            });
            assertThat(discovery.getServices()).contains("shop-orders");

            ReactiveDiscoveryClient reactive = gateway.getBean(ReactiveDiscoveryClient.class);
            assertThat(reactive.getInstances("shop-orders").collectList().block(EVENTUALLY))
                .extracting(ServiceInstance::getPort)
                .containsExactly(port);
            assertThat(reactive.getServices().collectList().block(EVENTUALLY)).contains("shop-orders");

            orders.close();
            awaitTrue("the closed app deregistered", () -> client.instances("shop-orders", QueryOptions.DEFAULT)
                .value()
                .isEmpty());
            awaitTrue("the watching app saw it go", () -> discovery.getInstances("shop-orders").isEmpty());
        }
        finally {
            orders.close();
        }
    }

    @Test
    void watchSeesANewInstancePublishesAHeartbeatEventAndEvictsTheLoadBalancerCache() throws Exception {
        String service = "inventory-" + System.nanoTime();
        client.register(service, spec("i-1", 9001, Map.of()));
        try (ConfigurableApplicationContext watcher = TestApps.discoveryOnly("watcher", addresses())) {
            BlockingQueue<HeartbeatEvent> events = new LinkedBlockingQueue<>();
            watcher.addApplicationListener((ApplicationListener<HeartbeatEvent>) events::add);
            DiscoveryClient discovery = watcher.getBean(DiscoveryClient.class);
            assertThat(discovery.getInstances(service)).extracting(ServiceInstance::getInstanceId)
                .containsExactly("i-1");

            Cache loadBalancerCache = watcher.getBean(LoadBalancerCacheManager.class)
                .getCache(CachingServiceInstanceListSupplier.SERVICE_INSTANCE_CACHE_NAME);
            loadBalancerCache.put(service, discovery.getInstances(service));

            client.register(service, spec("i-2", 9002, Map.of()));
            HeartbeatEvent event = events.poll(EVENTUALLY.toSeconds(), TimeUnit.SECONDS);
            assertThat(event).as("heartbeat event after the registration").isNotNull();
            assertThat((Long) event.getValue()).isPositive();
            assertThat(discovery.getInstances(service)).as("cache updated before the event")
                .extracting(ServiceInstance::getInstanceId)
                .containsExactlyInAnyOrder("i-1", "i-2");
            assertThat(loadBalancerCache.get(service)).as("load balancer's stale copy evicted").isNull();
        }
    }

    @Test
    void drainingStatusReachesTheDiscoveredMetadata() {
        try (ConfigurableApplicationContext payments = TestApps.web("payments", addresses());
                ConfigurableApplicationContext watcher = TestApps.discoveryOnly("watcher", addresses())) {
            DiscoveryClient discovery = watcher.getBean(DiscoveryClient.class);
            assertThat(discovery.getInstances("payments")).singleElement()
                .satisfies(instance -> assertThat(instance.getMetadata()).containsEntry("status", "UP"));

            FlotillaServiceRegistry registry = payments.getBean(FlotillaServiceRegistry.class);
            FlotillaRegistration registration = payments.getBean(FlotillaRegistration.class);
            registry.setStatus(registration, "DRAINING");
            assertThat((String) registry.getStatus(registration)).isEqualTo("DRAINING");
            awaitTrue("the watcher sees DRAINING", () -> discovery.getInstances("payments")
                .stream()
                .allMatch(instance -> "DRAINING".equals(instance.getMetadata().get("status"))));
        }
    }

    @Test
    void instanceDroppedByTheRegistryIsRegisteredAgainByTheNextHeartbeat() {
        try (ConfigurableApplicationContext billing = TestApps.web("billing", addresses(),
                "--flotilla.registry.ttl=5s", "--flotilla.registry.heartbeat-interval=200ms")) {
            FlotillaRegistration registration = billing.getBean(FlotillaRegistration.class);
            List<InstanceView> before = client.instances("billing", QueryOptions.DEFAULT).value();
            assertThat(before).hasSize(1);
            client.revokeLease(before.get(0).leaseId());
            awaitTrue("registered again after its lease was revoked",
                    () -> client.instances("billing", QueryOptions.DEFAULT)
                        .value()
                        .stream()
                        .anyMatch(instance -> instance.instanceId().equals(registration.getInstanceId())
                                && instance.leaseId() != before.get(0).leaseId()));
        }
    }

    private static InstanceSpec spec(String id, int port, Map<String, String> metadata) {
        return new InstanceSpec(id, "127.0.0.1", port, false, metadata, "", 1, Duration.ofSeconds(60));
    }

    static void awaitTrue(String what, Supplier<Boolean> condition) {
        long deadline = System.nanoTime() + EVENTUALLY.toNanos();
        while (!condition.get()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Timed out after " + EVENTUALLY + " waiting until " + what);
            }
            try {
                Thread.sleep(50);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new AssertionError(ex);
            }
        }
    }
}
