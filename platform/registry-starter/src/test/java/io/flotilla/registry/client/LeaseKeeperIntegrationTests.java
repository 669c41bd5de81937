package io.flotilla.registry.client;

import io.flotilla.testsupport.process.TestRegistry;


import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A kept-alive lease against a real registry: outliving its TTL, revocation, and losing the registry. */
class LeaseKeeperIntegrationTests {

    private static TestRegistry server;

    private static RegistryClient client;

    @BeforeAll
    static void startRegistry() throws Exception {
        server = TestRegistry.shared();
        client = RegistryClient.builder().address(server.address()).failoverTimeout(Duration.ofSeconds(1)).build();
    }


    @Test
    void keptAliveLeaseOutlivesItsTtlAndItsKeysStay() throws Exception {
        try (LeaseKeeper lease = LeaseKeeper.grant(client, Duration.ofSeconds(1))) {
            String key = "leases/kept-" + lease.leaseId();
            client.put(key, "v", RegistryClient.ANY_VERSION, lease.leaseId());
            Thread.sleep(3_000);
            assertThat(lease.isHeld()).isTrue();
            assertThat(client.get(key)).as("key of a kept-alive lease after 3 TTLs").isPresent();
        }
    }

    @Test
    void closingRevokesTheLeaseAndDeletesItsKeys() {
        LeaseKeeper lease = LeaseKeeper.grant(client, Duration.ofSeconds(30));
        String key = "leases/closed-" + lease.leaseId();
        client.put(key, "v", RegistryClient.ANY_VERSION, lease.leaseId());
        lease.close();
        assertThat(lease.isHeld()).isFalse();
        assertThat(client.get(key)).isEmpty();
    }

    @Test
    void leaseRevokedElsewhereIsReportedLost() throws Exception {
        try (LeaseKeeper lease = LeaseKeeper.grant(client, Duration.ofSeconds(3))) {
            CountDownLatch lost = new CountDownLatch(1);
            lease.onLost(lost::countDown);
            client.revokeLease(lease.leaseId());
            assertThat(lost.await(30, TimeUnit.SECONDS)).as("loss reported by the next keep-alive").isTrue();
            assertThat(lease.isHeld()).isFalse();
        }
    }
}
