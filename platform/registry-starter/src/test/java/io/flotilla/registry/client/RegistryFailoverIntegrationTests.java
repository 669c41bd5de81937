package io.flotilla.registry.client;

import io.flotilla.registry.api.KvEntry;
import io.flotilla.registry.support.TestApps;
import io.flotilla.testsupport.PortProbe;
import io.flotilla.testsupport.process.TestRegistry;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Fail-over across configured addresses, against a real registry and ports where nothing listens. */
class RegistryFailoverIntegrationTests {

    private static TestRegistry registry;

    private static TestRegistry.Node server;

    @BeforeAll
    static void startRegistry() {
        registry = TestRegistry.builder("registry-failover").args("--flotilla.registry.server.token=s3cret").start();
        server = registry.node(0);
    }

    @AfterAll
    static void stopRegistry() {
        registry.close();
    }

    private static URI deadAddress() {
        return URI.create("http://127.0.0.1:" + PortProbe.freePort());
    }

    @Test
    void callsGoToTheNextAddressWhenTheFirstIsDown() {
        RegistryClient client = RegistryClient.builder()
            .addresses(List.of(deadAddress(), server.address()))
            .token("s3cret")
            .build();
        for (int i = 0; i < 3; i++) {
            assertThat(client.put("failover/k" + i, "v", RegistryClient.CREATE_ONLY, RegistryClient.NO_LEASE))
                .as("create-only put %d through the second address", i).isPresent();
        }
        assertThat(client.get("failover/k2")).isPresent();
        assertThat(client.createSequential("failover/seq", new byte[0], RegistryClient.NO_LEASE).entry().key())
            .startsWith("failover/seq/");
    }

    @Test
    void noAnsweringAddressFailsAfterTheFailoverTimeout() {
        RegistryClient client = RegistryClient.builder()
            .addresses(List.of(deadAddress(), deadAddress()))
            .failoverTimeout(Duration.ofMillis(500))
            .build();
        assertThatThrownBy(() -> client.get("anything")).isInstanceOf(RegistryUnavailableException.class)
            .hasMessageContaining("No registry node")
            .satisfies(ex -> assertThat(((RegistryUnavailableException) ex).outcomeUnknown()).isFalse());
    }

    @Test
    void writesWithoutTheTokenAreRefusedAndNotRetried() {
        RegistryClient anonymous = RegistryClient.builder().address(server.address()).build();
        assertThatThrownBy(() -> anonymous.put("failover/secret", "v", RegistryClient.ANY_VERSION,
                RegistryClient.NO_LEASE)).isInstanceOf(RegistryException.class)
            .satisfies(ex -> assertThat(((RegistryException) ex).status()).isIn(401, 403));
        RegistryClient authorized = RegistryClient.builder().address(server.address()).token("s3cret").build();
        assertThat(authorized.get("failover/secret")).as("nothing written by the refused put").isEmpty();
    }

    @Test
    void appStartedWhileTheRegistryIsDownRegistersOnceItIsBack() throws Exception {
        server.stop();
        ConfigurableApplicationContext app;
        try {
            app = TestApps.web("late-registrant", List.of(server.address().toString()), "--flotilla.registry.token=s3cret",
                    "--flotilla.registry.failover-timeout=300ms", "--flotilla.registry.ttl=5s",
                    "--flotilla.registry.heartbeat-interval=200ms");
        }
        finally {
            server.start();
        }
        try (app) {
            RegistryClient client = RegistryClient.builder().address(server.address()).build();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (client.instances("late-registrant", QueryOptions.DEFAULT).value().isEmpty()) {
                assertThat(System.nanoTime()).as("registered within 30 s of the registry's return")
                    .isLessThan(deadline);
                Thread.sleep(50);
            }
        }
    }

    @Test
    void failFastRegistrationStopsTheStartWhenNoRegistryAnswers() {
        assertThatThrownBy(() -> TestApps.web("fail-fast", List.of(deadAddress().toString()),
                "--flotilla.registry.failover-timeout=300ms",
                "--spring.cloud.service-registry.auto-registration.fail-fast=true"))
            .satisfies(ex -> {
                Throwable cause = ex;
                while (cause != null && !(cause instanceof RegistryUnavailableException)) {
                    cause = cause.getCause();
                }
                assertThat(cause).as("a RegistryUnavailableException among the causes of %s", ex).isNotNull();
            });
    }

    @Test
    void watchKeepsWorkingThroughARegistryRestart() throws Exception {
        RegistryClient client = RegistryClient.builder()
            .addresses(List.of(deadAddress(), server.address()))
            .token("s3cret")
            .failoverTimeout(Duration.ofSeconds(60))
            .build();
        String key = "failover/watched-" + System.nanoTime();
        BlockingQueue<Indexed<Optional<KvEntry>>> seen = new LinkedBlockingQueue<>();
        try (RegistryWatch<Optional<KvEntry>> watch = RegistryWatch.start("test", options -> client.get(key, options),
                Duration.ofSeconds(30), seen::add)) {
            assertThat(seen.poll(30, TimeUnit.SECONDS)).as("first answer").isNotNull()
                .satisfies(answer -> assertThat(answer.value()).isEmpty());
            server.restart();
            client.put(key, "after-restart", RegistryClient.ANY_VERSION, RegistryClient.NO_LEASE);
            Indexed<Optional<KvEntry>> next = seen.poll(60, TimeUnit.SECONDS);
            assertThat(next).as("change seen after the restart").isNotNull();
            assertThat(next.value()).hasValueSatisfying(
                    entry -> assertThat(entry.valueAsString()).isEqualTo("after-restart"));
        }
    }
}
