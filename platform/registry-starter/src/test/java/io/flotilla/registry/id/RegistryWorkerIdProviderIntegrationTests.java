package io.flotilla.registry.id;

import io.flotilla.registry.api.KvEntry;
import io.flotilla.id.core.FileTimestampStore;
import io.flotilla.id.core.IdLayout;
import io.flotilla.id.core.IdParts;
import io.flotilla.id.core.SnowflakeIdGenerator;
import io.flotilla.id.core.WorkerId;
import io.flotilla.id.core.WorkerLeaseLostException;
import io.flotilla.registry.client.QueryOptions;
import io.flotilla.registry.client.RegistryClient;
import io.flotilla.testsupport.process.TestRegistry;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Worker slots leased from a real registry by real snowflake generators. */
class RegistryWorkerIdProviderIntegrationTests {

    private static final String PREFIX = "flotilla/id/workers/";

    private static TestRegistry registry;

    private static RegistryClient client;

    /** Each test leases slots in a datacenter of its own, so tests sharing the registry never meet. */
    private static final AtomicInteger DATACENTERS = new AtomicInteger();

    private final int datacenter = DATACENTERS.incrementAndGet();

    @TempDir
    Path stateDir;

    @BeforeAll
    static void startRegistry() {
        registry = TestRegistry.builder("registry-worker-ids").start();
        client = RegistryClient.builder().address(registry.address()).failoverTimeout(Duration.ofSeconds(1)).build();
    }

    @AfterAll
    static void stopRegistry() {
        registry.close();
    }

    private SnowflakeIdGenerator generator(String owner, Duration leaseTtl) {
        return SnowflakeIdGenerator.builder(IdLayout.standard(IdLayout.DEFAULT_EPOCH))
            .workerIdProvider(new RegistryWorkerIdProvider(client, PREFIX, this.datacenter, leaseTtl, owner))
            .timestampStore(new FileTimestampStore(this.stateDir.resolve(owner)))
            .leaseRetryBackoff(Duration.ofMillis(200), Duration.ofSeconds(2))
            .build();
    }

    @Test
    void twoGeneratorsLeaseDifferentSlotsAndAClosedSlotIsReused() {
        Set<Long> ids = ConcurrentHashMap.newKeySet();
        try (SnowflakeIdGenerator first = generator("a", Duration.ofSeconds(10));
                SnowflakeIdGenerator second = generator("b", Duration.ofSeconds(10))) {
            WorkerId firstSlot = workerOf(first);
            WorkerId secondSlot = workerOf(second);
            assertThat(firstSlot).isEqualTo(new WorkerId(this.datacenter, 0));
            assertThat(secondSlot).isEqualTo(new WorkerId(this.datacenter, 1));
            for (int i = 0; i < 10_000; i++) {
                ids.add(first.next());
                ids.add(second.next());
            }
            assertThat(ids).as("ids of both generators").hasSize(20_000);
            assertThat(client.list(PREFIX + this.datacenter + "/", QueryOptions.DEFAULT).value()).extracting(KvEntry::key)
                .containsExactly(PREFIX + this.datacenter + "/0", PREFIX + this.datacenter + "/1");

            first.close();
            try (SnowflakeIdGenerator third = generator("c", Duration.ofSeconds(10))) {
                assertThat(workerOf(third)).as("slot freed by the closed generator").isEqualTo(new WorkerId(this.datacenter, 0));
            }
        }
    }

    @Test
    void generatorStopsIssuingWhenItsLeaseIsRevoked() {
        try (SnowflakeIdGenerator generator = generator("revoked", Duration.ofSeconds(3))) {
            generator.next();
            KvEntry slot = client.get(PREFIX + this.datacenter + "/0").orElseThrow();
            client.revokeLease(slot.leaseId());
            awaitThrows(() -> generator.next());
            assertThatThrownBy(generator::next).isInstanceOf(WorkerLeaseLostException.class);
        }
    }

    @Test
    void generatorStopsIssuingBeforeTheRegistryCouldExpireItsLease() throws Exception {
        Duration ttl = Duration.ofSeconds(5);
        try (SnowflakeIdGenerator generator = generator("cut-off", ttl)) {
            generator.next();
            long stoppedAt = System.nanoTime();
            registry.node(0).kill();
            try {
                awaitThrows(() -> generator.next());
                long lostAfterNanos = System.nanoTime() - stoppedAt;
                assertThat(Duration.ofNanos(lostAfterNanos))
                    .as("loss noticed no later than the TTL after the registry went away")
                    .isLessThanOrEqualTo(ttl);
                assertThatThrownBy(generator::next).isInstanceOf(WorkerLeaseLostException.class);
            }
            finally {
                registry.node(0).start();
            }
        }
    }

    @Test
    void generatorLeasesAnotherSlotAfterItsLeaseIsRevokedAndIssuesAgain() {
        try (SnowflakeIdGenerator generator = generator("relet", Duration.ofSeconds(3))) {
            long before = generator.next();
            String slotZero = PREFIX + this.datacenter + "/0";
            client.revokeLease(client.get(slotZero).orElseThrow().leaseId());
            // Another instance takes the freed slot first: this generator must come back as another worker.
            client.put(slotZero, "another", RegistryClient.CREATE_ONLY, RegistryClient.NO_LEASE);
            awaitThrows(() -> generator.next());

            long after = awaitIssues(generator);
            assertThat(after).isGreaterThan(before);
            assertThat(generator.parse(after).workerId()).isEqualTo(1);
            KvEntry slotOne = client.get(PREFIX + this.datacenter + "/1").orElseThrow();
            assertThat(new String(slotOne.value(), StandardCharsets.UTF_8)).isEqualTo("relet");
            assertThat(generator.stats().leaseLosses()).isEqualTo(1);
            assertThat(generator.stats().leasesRegained()).isEqualTo(1);
            assertThat(generator.stats().leaseHeld()).isTrue();

            generator.close();
            assertThat(client.get(PREFIX + this.datacenter + "/1")).as("the new lease is released on close").isEmpty();
        }
    }

    @Test
    void generatorLeasesAgainOnceTheRegistryIsBackUnderALeaseOfItsOwn() throws Exception {
        try (SnowflakeIdGenerator generator = generator("outage", Duration.ofSeconds(3))) {
            long before = generator.next();
            long oldLease = client.get(PREFIX + this.datacenter + "/0").orElseThrow().leaseId();
            registry.node(0).kill();
            try {
                awaitThrows(() -> generator.next());
                assertThatThrownBy(generator::next).isInstanceOf(WorkerLeaseLostException.class);
            }
            finally {
                registry.node(0).start();
            }
            long after = awaitIssues(generator);
            assertThat(after).isGreaterThan(before);
            int worker = generator.parse(after).workerId();
            // Slot 0 comes back only once the old lease's key is gone; whichever slot it is, the new lease holds it.
            KvEntry slot = client.get(PREFIX + this.datacenter + "/" + worker).orElseThrow();
            assertThat(slot.leaseId()).isNotEqualTo(oldLease);
            assertThat(new String(slot.value(), StandardCharsets.UTF_8)).isEqualTo("outage");
            assertThat(generator.stats().leaseLosses()).isEqualTo(1);
        }
    }

    @Test
    void noFreeSlotIsAClearError() {
        for (int worker = 0; worker < 32; worker++) {
            client.put(PREFIX + this.datacenter + "/" + worker, "someone", RegistryClient.CREATE_ONLY, RegistryClient.NO_LEASE);
        }
        assertThatThrownBy(() -> generator("late", Duration.ofSeconds(10))).hasMessageContaining("No free worker slot");
    }

    private static WorkerId workerOf(SnowflakeIdGenerator generator) {
        IdParts parts = generator.parse(generator.next());
        return new WorkerId(parts.datacenterId(), parts.workerId());
    }

    /** @return the first id the generator issues once it holds a slot again */
    private static long awaitIssues(SnowflakeIdGenerator generator) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                return generator.next();
            }
            catch (WorkerLeaseLostException ex) {
                sleep();
            }
        }
        throw new AssertionError("the generator did not lease a slot again within 60 s");
    }

    private static void sleep() {
        try {
            Thread.sleep(10);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new AssertionError(ex);
        }
    }

    private static void awaitThrows(Supplier<Object> issue) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                issue.get();
            }
            catch (WorkerLeaseLostException ex) {
                return;
            }
            try {
                Thread.sleep(10);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new AssertionError(ex);
            }
        }
        throw new AssertionError("the generator kept issuing for 30 s after its lease was lost");
    }
}
