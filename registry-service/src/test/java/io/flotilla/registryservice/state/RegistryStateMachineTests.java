package io.flotilla.registryservice.state;

import io.flotilla.registry.api.KvEntry;

import io.flotilla.registryservice.state.command.RegistryCodec;
import io.flotilla.registryservice.state.command.RegistryCommand;
import io.flotilla.registryservice.state.command.RegistryCommand.DeregisterInstance;
import io.flotilla.registryservice.state.command.RegistryCommand.ExpireLeases;
import io.flotilla.registryservice.state.command.RegistryCommand.GrantLease;
import io.flotilla.registryservice.state.command.RegistryCommand.KvCreateSequential;
import io.flotilla.registryservice.state.command.RegistryCommand.KvDelete;
import io.flotilla.registryservice.state.command.RegistryCommand.KvPut;
import io.flotilla.registryservice.state.command.RegistryCommand.RegisterInstance;
import io.flotilla.registryservice.state.command.RegistryCommand.RevokeLease;
import io.flotilla.registryservice.state.command.RegistryQuery;
import io.flotilla.registryservice.state.command.RegistryResult;
import io.flotilla.registryservice.state.command.RegistryResult.Reason;
import io.flotilla.registryservice.state.command.RegistryResult.Refused;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class RegistryStateMachineTests {

    private final List<String> changes = new ArrayList<>();
    private final Driver registry = new Driver(new RegistryStateMachine(new RegistryChangeListener() {
        @Override
        public void serviceChanged(long index, String service) {
            changes.add(index + " service " + service);
        }

        @Override
        public void keyChanged(long index, String key) {
            changes.add(index + " key " + key);
        }

        @Override
        public void stateReplaced(long lastChangeIndex) {
            changes.add(lastChangeIndex + " replaced");
        }
    }));

    static RegisterInstance instance(String service, String id, int port, long leaseId) {
        return new RegisterInstance(service, id, "10.0.0.1", port, false, Map.of("version", "1"), "zone-a", 100,
                leaseId);
    }

    static byte[] bytes(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void registeringTwiceUpdatesTheInstanceKeepingItsCreateIndex() {
        registry.ok(instance("orders", "orders-1", 8080, 0));
        registry.ok(instance("orders", "orders-2", 8080, 0));
        registry.ok(instance("orders", "orders-1", 9090, 0));

        RegistryQuery.Instances orders = registry.instances("orders");
        assertThat(orders.instances()).extracting(Instance::instanceId).containsExactly("orders-1", "orders-2");
        Instance updated = orders.instances().getFirst();
        assertThat(updated.port()).isEqualTo(9090);
        assertThat(updated.createIndex()).isEqualTo(1);
        assertThat(updated.modIndex()).isEqualTo(3);
        assertThat(updated.metadata()).containsEntry("version", "1");
        assertThat(orders.index()).isEqualTo(3);
    }

    @Test
    void deregisteringRemovesTheInstanceAndTheEmptyServiceButMovesTheServiceIndex() {
        registry.ok(instance("orders", "orders-1", 8080, 0));
        registry.ok(instance("payments", "payments-1", 8080, 0));

        assertThat(registry.ok(new DeregisterInstance("orders", "orders-1")).index()).isEqualTo(3);

        assertThat(registry.instances("orders").instances()).isEmpty();
        assertThat(registry.instances("orders").index()).isEqualTo(3);
        assertThat(registry.instances("payments").index()).isEqualTo(2);
        RegistryQuery.ServiceNames names = (RegistryQuery.ServiceNames) registry.query(new RegistryQuery.ListServices());
        assertThat(names.names()).containsExactly("payments");
        assertThat(names.index()).isEqualTo(3);
        assertThat(changes).containsExactly("1 service orders", "2 service payments", "3 service orders");
    }

    @Test
    void deregisteringAnUnknownInstanceIsNotFound() {
        registry.ok(instance("orders", "orders-1", 8080, 0));

        assertThat(registry.apply(new DeregisterInstance("orders", "orders-9")))
                .isInstanceOfSatisfying(Refused.class, refused -> assertThat(refused.reason()).isEqualTo(Reason.NOT_FOUND));
    }

    @Test
    void leaseIdIsTheIndexThatGrantedIt() {
        registry.ok(instance("orders", "orders-1", 8080, 0));

        RegistryResult.Ok granted = registry.ok(new GrantLease(10_000));

        assertThat(granted.leaseIds()).containsExactly(2L);
        RegistryQuery.Lease lease = (RegistryQuery.Lease) registry.query(new RegistryQuery.GetLease(2));
        assertThat(lease.lease()).hasValueSatisfying(view -> assertThat(view.ttlMillis()).isEqualTo(10_000));
    }

    @Test
    void expiredLeaseRemovesItsInstancesAndKeysAndNothingElse() {
        long lease = registry.ok(new GrantLease(5_000)).index();
        long otherLease = registry.ok(new GrantLease(5_000)).index();
        registry.ok(instance("orders", "orders-1", 8080, lease));
        registry.ok(instance("orders", "orders-2", 8080, otherLease));
        registry.ok(new KvPut("locks/a", bytes("x"), RegistryCommand.ANY_VERSION, lease));
        registry.ok(new KvPut("config/b", bytes("y"), RegistryCommand.ANY_VERSION, 0));
        RegistryQuery.Lease before = (RegistryQuery.Lease) registry.query(new RegistryQuery.GetLease(lease));
        assertThat(before.lease().orElseThrow().instances()).containsExactly("orders/orders-1");
        assertThat(before.lease().orElseThrow().keys()).containsExactly("locks/a");

        RegistryResult.Ok expired = registry.ok(new ExpireLeases(List.of(lease, 999L)));

        assertThat(expired.leaseIds()).containsExactly(lease);
        assertThat(registry.instances("orders").instances()).extracting(Instance::instanceId).containsExactly("orders-2");
        assertThat(registry.instances("orders").index()).isEqualTo(expired.index());
        assertThat(registry.get("locks/a").entries()).isEmpty();
        assertThat(registry.get("config/b").entries()).hasSize(1);
        assertThat(((RegistryQuery.Lease) registry.query(new RegistryQuery.GetLease(lease))).lease()).isEmpty();
        assertThat(((RegistryQuery.Lease) registry.query(new RegistryQuery.GetLease(otherLease))).lease()).isPresent();
    }

    @Test
    void revokedLeaseRemovesItsInstancesAndCannotBeUsedAfterwards() {
        long lease = registry.ok(new GrantLease(5_000)).index();
        registry.ok(instance("orders", "orders-1", 8080, lease));

        registry.ok(new RevokeLease(lease));

        assertThat(registry.instances("orders").instances()).isEmpty();
        assertThat(registry.apply(instance("orders", "orders-1", 8080, lease)))
                .isEqualTo(new Refused(Reason.UNKNOWN_LEASE, "no lease " + lease));
        assertThat(registry.apply(new RevokeLease(lease))).isInstanceOf(Refused.class);
        assertThat(registry.apply(new ExpireLeases(List.of(lease)))).isInstanceOf(Refused.class);
    }

    @Test
    void reRegisteringUnderAnotherLeaseMovesTheInstanceToThatLease() {
        long first = registry.ok(new GrantLease(5_000)).index();
        long second = registry.ok(new GrantLease(5_000)).index();
        registry.ok(instance("orders", "orders-1", 8080, first));
        registry.ok(instance("orders", "orders-1", 8080, second));

        registry.ok(new RevokeLease(first));

        assertThat(registry.instances("orders").instances()).hasSize(1);
        registry.ok(new RevokeLease(second));
        assertThat(registry.instances("orders").instances()).isEmpty();
    }

    @Test
    void casWritesOnlyWhenTheModIndexMatches() {
        long created = registry.ok(new KvPut("config/x", bytes("1"), RegistryCommand.ANY_VERSION, 0)).index();

        RegistryResult stale = registry.apply(new KvPut("config/x", bytes("2"), created + 100, 0));
        long updated = registry.ok(new KvPut("config/x", bytes("3"), created, 0)).index();

        assertThat(stale).isInstanceOfSatisfying(Refused.class,
                refused -> assertThat(refused.reason()).isEqualTo(Reason.CAS_MISMATCH));
        KvEntry entry = registry.get("config/x").entries().getFirst();
        assertThat(entry.value()).isEqualTo(bytes("3"));
        assertThat(entry.createIndex()).isEqualTo(created);
        assertThat(entry.modIndex()).isEqualTo(updated);
    }

    @Test
    void casZeroCreatesOnlyWhenTheKeyIsAbsent() {
        registry.ok(new KvPut("workers/1", bytes("a"), 0, 0));

        RegistryResult second = registry.apply(new KvPut("workers/1", bytes("b"), 0, 0));

        assertThat(second).isInstanceOfSatisfying(Refused.class,
                refused -> assertThat(refused.reason()).isEqualTo(Reason.CAS_MISMATCH));
        assertThat(registry.get("workers/1").entries().getFirst().value()).isEqualTo(bytes("a"));
    }

    @Test
    void deleteWithCasDeletesOnlyTheExpectedVersion() {
        long created = registry.ok(new KvPut("k", bytes("a"), RegistryCommand.ANY_VERSION, 0)).index();

        assertThat(registry.apply(new KvDelete("k", created + 1))).isInstanceOf(Refused.class);
        assertThat(registry.get("k").entries()).hasSize(1);
        registry.ok(new KvDelete("k", created));
        assertThat(registry.get("k").entries()).isEmpty();
        assertThat(registry.apply(new KvDelete("k", RegistryCommand.ANY_VERSION)))
                .isInstanceOfSatisfying(Refused.class, refused -> assertThat(refused.reason()).isEqualTo(Reason.NOT_FOUND));
    }

    @Test
    void sequentialKeysSortByIndexAndGoWithTheirLease() {
        long lease = registry.ok(new GrantLease(5_000)).index();
        String first = registry.ok(new KvCreateSequential("locks/orders", bytes("a"), lease)).key();
        registry.ok(new KvPut("unrelated", bytes("u"), RegistryCommand.ANY_VERSION, 0));
        String second = registry.ok(new KvCreateSequential("locks/orders", bytes("b"), 0)).key();
        for (int i = 0; i < 8; i++) {
            registry.ok(new KvPut("filler/" + i, bytes("f"), RegistryCommand.ANY_VERSION, 0));
        }
        String third = registry.ok(new KvCreateSequential("locks/orders", bytes("c"), lease)).key();

        assertThat(first).isEqualTo("locks/orders/00000000000000000002");
        assertThat(third).isEqualTo("locks/orders/00000000000000000013");
        assertThat(registry.prefix("locks/orders/").entries()).extracting(KvEntry::key)
                .containsExactly(first, second, third);

        registry.ok(new ExpireLeases(List.of(lease)));

        assertThat(registry.prefix("locks/orders/").entries()).extracting(KvEntry::key).containsExactly(second);
    }

    @Test
    void sequentialCreateAnswersTheKeyJustBeforeItUnderTheSamePrefix() {
        RegistryResult.Ok first = registry.ok(new KvCreateSequential("locks/job", bytes("a"), 0));
        // A sibling whose name merely starts the same way is another lock, not a predecessor.
        registry.ok(new KvCreateSequential("locks/jobs", bytes("x"), 0));
        RegistryResult.Ok second = registry.ok(new KvCreateSequential("locks/job", bytes("b"), 0));
        RegistryResult.Ok third = registry.ok(new KvCreateSequential("locks/job", bytes("c"), 0));

        assertThat(first.predecessor()).isEmpty();
        assertThat(second.predecessor()).isEqualTo(first.key());
        assertThat(third.predecessor()).isEqualTo(second.key());

        registry.ok(new KvDelete(first.key(), RegistryCommand.ANY_VERSION));
        registry.ok(new KvDelete(second.key(), RegistryCommand.ANY_VERSION));
        registry.ok(new KvDelete(third.key(), RegistryCommand.ANY_VERSION));
        assertThat(registry.ok(new KvCreateSequential("locks/job", bytes("d"), 0)).predecessor()).isEmpty();
    }

    @Test
    void oneKeysIndexMovesOnlyWhenThatKeyChangesOrGoes() {
        long a = registry.ok(new KvPut("app/a", bytes("1"), RegistryCommand.ANY_VERSION, 0)).index();
        registry.ok(new KvPut("app/b", bytes("1"), RegistryCommand.ANY_VERSION, 0));
        long otherDeleted = registry.ok(new KvDelete("app/b", RegistryCommand.ANY_VERSION)).index();

        assertThat(registry.get("app/a").index()).isEqualTo(a);
        assertThat(registry.get("app/never-written").index()).isEqualTo(otherDeleted);

        long deleted = registry.ok(new KvDelete("app/a", RegistryCommand.ANY_VERSION)).index();
        assertThat(registry.get("app/a").index()).isEqualTo(deleted).isGreaterThan(a);
    }

    @Test
    void kvIndexMovesOnWritesAndOnDeletions() {
        long a = registry.ok(new KvPut("app/a", bytes("1"), RegistryCommand.ANY_VERSION, 0)).index();
        long b = registry.ok(new KvPut("app/b", bytes("1"), RegistryCommand.ANY_VERSION, 0)).index();
        assertThat(registry.prefix("app/").index()).isEqualTo(b);
        assertThat(registry.get("app/a").index()).isEqualTo(a);

        long deleted = registry.ok(new KvDelete("app/b", RegistryCommand.ANY_VERSION)).index();

        assertThat(registry.prefix("app/").index()).isEqualTo(deleted);
        assertThat(registry.get("app/b").index()).isEqualTo(deleted);
        long rewritten = registry.ok(new KvPut("app/a", bytes("2"), RegistryCommand.ANY_VERSION, 0)).index();
        assertThat(registry.get("app/a").index()).isEqualTo(rewritten);
        assertThat(registry.machine.lastChangeIndex()).isEqualTo(rewritten);
        assertThat(changes).containsExactly("1 key app/a", "2 key app/b", "3 key app/b", "4 key app/a");
    }

    @Test
    void leaseExpiryMovesTheIndexesOfEverythingItRemoved() {
        long lease = registry.ok(new GrantLease(5_000)).index();
        registry.ok(instance("orders", "orders-1", 8080, lease));
        registry.ok(new KvPut("locks/a", bytes("x"), RegistryCommand.ANY_VERSION, lease));

        long expiry = registry.ok(new ExpireLeases(List.of(lease))).index();

        assertThat(registry.instances("orders").index()).isEqualTo(expiry);
        assertThat(registry.prefix("locks/").index()).isEqualTo(expiry);
        assertThat(changes).endsWith(expiry + " service orders", expiry + " key locks/a");
    }

    static Stream<RegistryCommand> invalidCommands() {
        Map<String, String> tooManyEntries = new HashMap<>();
        for (int i = 0; i < 65; i++) {
            tooManyEntries.put("k" + i, "v");
        }
        return Stream.of(
                new RegisterInstance("bad name", "i-1", "h", 80, false, Map.of(), "", 1, 0),
                new RegisterInstance("-leading-dash", "i-1", "h", 80, false, Map.of(), "", 1, 0),
                new RegisterInstance("orders", "i/1", "h", 80, false, Map.of(), "", 1, 0),
                new RegisterInstance("a".repeat(129), "i-1", "h", 80, false, Map.of(), "", 1, 0),
                new RegisterInstance("orders", "i-1", "h", 0, false, Map.of(), "", 1, 0),
                new RegisterInstance("orders", "i-1", "h", 65536, false, Map.of(), "", 1, 0),
                new RegisterInstance("orders", "i-1", "", 80, false, Map.of(), "", 1, 0),
                new RegisterInstance("orders", "i-1", "h", 80, false, tooManyEntries, "", 1, 0),
                new RegisterInstance("orders", "i-1", "h", 80, false, Map.of("big", "x".repeat(16 * 1024)), "", 1, 0),
                new RegisterInstance("orders", "i-1", "h", 80, false, Map.of(), "zone a", 1, 0),
                new RegisterInstance("orders", "i-1", "h", 80, false, Map.of(), "", -1, 0),
                new RegisterInstance("orders", "i-1", "h", 80, false, Map.of(), "", 1, -5),
                new GrantLease(0),
                new GrantLease(-1),
                new RevokeLease(0),
                new ExpireLeases(List.of()),
                new KvPut("", bytes("v"), RegistryCommand.ANY_VERSION, 0),
                new KvPut("k".repeat(1025), bytes("v"), RegistryCommand.ANY_VERSION, 0),
                new KvPut("k", new byte[512 * 1024 + 1], RegistryCommand.ANY_VERSION, 0),
                new KvPut("k", bytes("v"), -2, 0),
                new KvDelete("", RegistryCommand.ANY_VERSION),
                new KvCreateSequential("p".repeat(1004), bytes("v"), 0));
    }

    @ParameterizedTest
    @MethodSource("invalidCommands")
    void invalidCommandIsRefusedBeforeProposingAndByApplyWithoutChangingState(RegistryCommand command) {
        registry.ok(instance("orders", "orders-1", 8080, 0));
        registry.ok(new KvPut("k", bytes("v"), RegistryCommand.ANY_VERSION, 0));
        byte[] before = registry.machine.snapshot();
        changes.clear();

        RegistryResult result = registry.apply(command);

        assertThat(RegistryValidation.problem(command)).isPresent();
        assertThat(result).isInstanceOfSatisfying(Refused.class,
                refused -> assertThat(refused.reason()).isEqualTo(Reason.INVALID_INPUT));
        assertThat(registry.machine.snapshot()).isEqualTo(before);
        assertThat(changes).isEmpty();
    }

    @Test
    void boundaryValuesAreValid() {
        assertThat(RegistryValidation.problem(new RegisterInstance("a".repeat(128), "i.1_x-y", "h", 65535, true,
                Map.of("big", "x".repeat(16 * 1024 - 3)), "", 0, 0))).isEmpty();
        assertThat(RegistryValidation.problem(new KvPut("k".repeat(1024), new byte[512 * 1024], 0, 0))).isEmpty();
        assertThat(RegistryValidation.problem(new KvCreateSequential("p".repeat(1003), new byte[0], 0))).isEmpty();
    }

    @Test
    void restoringASnapshotReplacesTheStateAndTellsTheListener() {
        Driver other = new Driver();
        other.ok(new KvPut("elsewhere", bytes("e"), RegistryCommand.ANY_VERSION, 0));
        other.ok(instance("payments", "payments-1", 8080, 0));
        registry.ok(new KvPut("k", bytes("v"), RegistryCommand.ANY_VERSION, 0));
        changes.clear();

        registry.machine.restore(other.machine.snapshot());

        assertThat(registry.get("k").entries()).isEmpty();
        assertThat(registry.get("elsewhere").entries()).hasSize(1);
        assertThat(registry.instances("payments").index()).isEqualTo(2);
        assertThat(changes).containsExactly("2 replaced");
    }

    @Test
    void malformedCommandBytesAreRefusedWithoutChangingState() {
        registry.ok(new KvPut("k", bytes("v"), RegistryCommand.ANY_VERSION, 0));
        byte[] before = registry.machine.snapshot();
        byte[] valid = RegistryCodec.encode(new KvPut("k", bytes("w"), RegistryCommand.ANY_VERSION, 0));
        byte[] truncated = java.util.Arrays.copyOf(valid, valid.length - 1);
        byte[] wrongVersion = valid.clone();
        wrongVersion[0] = 9;

        for (byte[] malformed : List.of(new byte[0], truncated, wrongVersion, new byte[] {1, 77})) {
            RegistryResult result = RegistryCodec.decodeResult(registry.machine.apply(10, malformed));
            assertThat(result).isInstanceOfSatisfying(Refused.class,
                    refused -> assertThat(refused.reason()).isEqualTo(Reason.INVALID_INPUT));
        }
        assertThat(registry.machine.snapshot()).isEqualTo(before);
    }
}
