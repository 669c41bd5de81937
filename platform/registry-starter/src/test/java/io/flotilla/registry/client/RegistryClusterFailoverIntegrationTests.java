package io.flotilla.registry.client;

import io.flotilla.registry.api.InstanceView;
import io.flotilla.registry.api.KvEntry;
import io.flotilla.testsupport.process.TestRegistry;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Three real registry nodes. The client lists the leader first; the leader is stopped; calls, including ones
 * that must not run twice, go on through the followers once they have elected a new leader, and a watch
 * started before the failure sees changes made after it.
 */
class RegistryClusterFailoverIntegrationTests {

    private static TestRegistry cluster;

    @BeforeAll
    static void startCluster() {
        cluster = TestRegistry.builder("registry-cluster").nodes(3).start();
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void clientCarriesOnWhenTheLeaderItListsFirstDies() throws Exception {
        // Leadership may move on a loaded machine before the stop below; the client's calls must go on either way.
        TestRegistry.Node leader = cluster.awaitLeader();
        List<URI> addresses = new ArrayList<>();
        addresses.add(leader.address());
        cluster.nodes().stream().filter(node -> node != leader).forEach(node -> addresses.add(node.address()));
        RegistryClient client = RegistryClient.builder().addresses(addresses)
            .failoverTimeout(Duration.ofSeconds(60))
            .build();

        client.register("cluster-orders", instance("before", 9001));
        long written = client.put("cluster/k", "before", RegistryClient.CREATE_ONLY, RegistryClient.NO_LEASE)
            .getAsLong();
        BlockingQueue<Indexed<List<InstanceView>>> seen = new LinkedBlockingQueue<>();
        try (RegistryWatch<List<InstanceView>> watch = RegistryWatch.start("cluster-orders",
                options -> client.instances("cluster-orders", options), Duration.ofSeconds(5), seen::add)) {
            assertThat(seen.poll(60, TimeUnit.SECONDS)).as("first answer of the watch").isNotNull();

            leader.stop();

            assertThat(client.get("cluster/k")).as("committed write survives the leader").isPresent();
            assertThat(client.put("cluster/k", "after", written, RegistryClient.NO_LEASE))
                .as("CAS against the version written before the failure").isPresent();
            KvEntry sequential = client.createSequential("cluster/queue", new byte[0], RegistryClient.NO_LEASE).entry();
            assertThat(client.list("cluster/queue/", QueryOptions.DEFAULT).value()).extracting(KvEntry::key)
                .as("exactly one sequential key, even across the election").containsExactly(sequential.key());
            client.register("cluster-orders", instance("after", 9002));

            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            boolean sawNew = false;
            while (!sawNew && System.nanoTime() < deadline) {
                Indexed<List<InstanceView>> answer = seen.poll(1, TimeUnit.SECONDS);
                sawNew = answer != null
                        && answer.value().stream().anyMatch(instance -> instance.instanceId().equals("after"));
            }
            assertThat(sawNew).as("watch started before the failure sees the registration after it").isTrue();
        }
        assertThat(cluster.awaitLeader().id()).as("a new leader among the survivors").isNotEqualTo(leader.id());
    }

    private static InstanceSpec instance(String id, int port) {
        return new InstanceSpec(id, "127.0.0.1", port, false, Map.of(), "", 1, Duration.ofSeconds(60));
    }
}
