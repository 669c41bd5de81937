package io.flotilla.registry.client;

import io.flotilla.registry.api.InstanceView;
import io.flotilla.registry.api.KvEntry;
import io.flotilla.registry.api.RegistrationResponse;
import io.flotilla.testsupport.process.TestRegistry;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The client against a real single-node registry-service over HTTP. */
class RegistryClientIntegrationTests {

    private static TestRegistry server;

    private static RegistryClient client;

    @BeforeAll
    static void startRegistry() throws Exception {
        server = TestRegistry.shared();
        client = RegistryClient.builder().address(server.address()).build();
    }


    @Test
    void registeredInstanceIsListedKeptAliveAndDeregistered() {
        InstanceSpec spec = new InstanceSpec("client-orders-1", "127.0.0.1", 8081, false,
                Map.of("version", "1.2.0", "status", "UP"), "zone-a", 3, Duration.ofSeconds(30));
        RegistrationResponse registered = client.register("client-orders", spec);
        assertThat(registered.instanceId()).isEqualTo("client-orders-1");
        assertThat(registered.leaseId()).isPositive();

        Indexed<List<InstanceView>> listed = client.instances("client-orders", QueryOptions.DEFAULT);
        assertThat(listed.index()).isPositive();
        assertThat(listed.value()).singleElement().satisfies(instance -> {
            assertThat(instance.host()).isEqualTo("127.0.0.1");
            assertThat(instance.port()).isEqualTo(8081);
            assertThat(instance.zone()).isEqualTo("zone-a");
            assertThat(instance.weight()).isEqualTo(3);
            assertThat(instance.metadata()).containsEntry("version", "1.2.0");
            assertThat(instance.status()).isEqualTo("UP");
            assertThat(instance.leaseId()).isEqualTo(registered.leaseId());
        });
        assertThat(client.services(QueryOptions.DEFAULT).value()).contains("client-orders");
        assertThat(client.heartbeat("client-orders", "client-orders-1")).isTrue();

        client.deregister("client-orders", "client-orders-1");
        assertThat(client.instances("client-orders", QueryOptions.DEFAULT).value()).isEmpty();
        assertThat(client.heartbeat("client-orders", "client-orders-1")).as("heartbeat of a removed instance").isFalse();
    }

    @Test
    void casPutsSucceedOnlyAgainstTheVersionTheyName() {
        String key = "tests/cas/" + System.nanoTime();
        OptionalLong created = client.put(key, "one", RegistryClient.CREATE_ONLY, RegistryClient.NO_LEASE);
        assertThat(created).isPresent();
        assertThat(client.put(key, "again", RegistryClient.CREATE_ONLY, RegistryClient.NO_LEASE))
            .as("create-only on an existing key").isEmpty();

        KvEntry entry = client.get(key).orElseThrow();
        assertThat(entry.valueAsString()).isEqualTo("one");
        assertThat(entry.modIndex()).isEqualTo(created.getAsLong());

        OptionalLong updated = client.put(key, "two", entry.modIndex(), RegistryClient.NO_LEASE);
        assertThat(updated).isPresent();
        assertThat(client.put(key, "stale", entry.modIndex(), RegistryClient.NO_LEASE)).as("stale version").isEmpty();
        assertThat(client.get(key).orElseThrow().valueAsString()).isEqualTo("two");

        assertThat(client.delete(key, entry.modIndex())).as("delete with a stale version").isFalse();
        assertThat(client.delete(key, updated.getAsLong())).isTrue();
        assertThat(client.get(key)).isEmpty();
        assertThat(client.delete(key, RegistryClient.ANY_VERSION)).as("delete of a missing key").isFalse();
    }

    @Test
    void sequentialKeysListInCreationOrderAndVanishWithTheirLease() {
        String prefix = "tests/queue-" + System.nanoTime();
        long lease = client.grantLease(Duration.ofSeconds(30));
        SequentialKey created = client.createSequential(prefix, "a".getBytes(StandardCharsets.UTF_8), lease);
        KvEntry first = created.entry();
        SequentialKey next = client.createSequential(prefix, "b".getBytes(StandardCharsets.UTF_8), lease);
        KvEntry second = next.entry();
        KvEntry unleased = client.createSequential(prefix, "c".getBytes(StandardCharsets.UTF_8),
                RegistryClient.NO_LEASE).entry();
        assertThat(first.key()).startsWith(prefix + "/");
        assertThat(created.first()).isTrue();
        assertThat(next.predecessor()).contains(first.key());
        assertThat(first.createIndex()).isLessThan(second.createIndex());

        List<KvEntry> listed = client.list(prefix + "/", QueryOptions.DEFAULT).value();
        assertThat(listed).extracting(KvEntry::key).containsExactly(first.key(), second.key(), unleased.key());
        assertThat(listed).extracting(KvEntry::valueAsString).containsExactly("a", "b", "c");
        assertThat(listed.get(0).leaseId()).isEqualTo(lease);

        assertThat(client.keepAlive(lease)).isTrue();
        client.revokeLease(lease);
        assertThat(client.keepAlive(lease)).as("keep-alive of a revoked lease").isFalse();
        assertThat(client.list(prefix + "/", QueryOptions.DEFAULT).value()).extracting(KvEntry::key)
            .containsExactly(unleased.key());
    }

    @Test
    void putOnAnUnknownLeaseIsRefused() {
        assertThatThrownBy(() -> client.put("tests/orphan", "x", RegistryClient.ANY_VERSION, 999_999_999L))
            .isInstanceOf(RegistryException.class)
            .satisfies(ex -> assertThat(((RegistryException) ex).status()).isEqualTo(404));
    }

    @Test
    void invalidInputIsRefusedWithTheRegistrysDetail() {
        InstanceSpec badHost = new InstanceSpec("bad-1", "has space", 80, false, Map.of(), "", 1,
                Duration.ofSeconds(30));
        assertThatThrownBy(() -> client.register("client-orders", badHost)).isInstanceOf(RegistryException.class)
            .satisfies(ex -> assertThat(((RegistryException) ex).status()).isEqualTo(400))
            .hasMessageContaining("host");
    }

    @Test
    void blockingQueryReturnsWhenTheKeyChanges() throws Exception {
        String key = "tests/watched-" + System.nanoTime();
        Indexed<Optional<KvEntry>> before = client.get(key, QueryOptions.DEFAULT);
        assertThat(before.value()).isEmpty();

        CompletableFuture<Indexed<Optional<KvEntry>>> watch = CompletableFuture.supplyAsync(
                () -> client.get(key, QueryOptions.blockingAfter(before.index(), Duration.ofSeconds(60))));
        Thread.sleep(200);
        assertThat(watch).as("blocking query before any change").isNotDone();
        client.put(key, "hello", RegistryClient.ANY_VERSION, RegistryClient.NO_LEASE);

        Indexed<Optional<KvEntry>> after = watch.get(30, TimeUnit.SECONDS);
        assertThat(after.index()).isGreaterThan(before.index());
        assertThat(after.value()).hasValueSatisfying(entry -> assertThat(entry.valueAsString()).isEqualTo("hello"));
    }

    @Test
    void blockingQueryAnswersUnchangedAtTheEndOfItsWait() {
        String key = "tests/quiet-" + System.nanoTime();
        client.put(key, "v", RegistryClient.ANY_VERSION, RegistryClient.NO_LEASE);
        Indexed<Optional<KvEntry>> now = client.get(key, QueryOptions.DEFAULT);
        Indexed<Optional<KvEntry>> later = client.get(key, QueryOptions.blockingAfter(now.index(),
                Duration.ofMillis(300)));
        assertThat(later.index()).isEqualTo(now.index());
        assertThat(later.value()).isEqualTo(now.value());
    }

    @Test
    void staleAndMinIndexReadsSeeTheWrite() {
        String key = "tests/fresh-" + System.nanoTime();
        long written = client.put(key, "v", RegistryClient.ANY_VERSION, RegistryClient.NO_LEASE).getAsLong();
        QueryOptions readYourWrite = QueryOptions.DEFAULT.withConsistency(Consistency.STALE).withMinIndex(written);
        assertThat(client.get(key, readYourWrite).value()).isPresent();
    }
}
