package io.flotilla.registryservice.state;

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
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random command sequences over a few names, keys and lease ids, so that commands collide: updates,
 * CAS on live versions, leases that exist and leases that are gone, and some invalid input. On failure jqwik
 * prints the seed; {@code @Property(seed = "...")} on the failing property replays it.
 */
class RegistryStateMachinePropertyTests {

    private static final List<String> SERVICES = List.of("orders", "payments", "bad name");
    private static final List<String> INSTANCES = List.of("i-1", "i-2", "i-3");
    private static final List<String> KEYS = List.of("config/a", "config/b", "locks/x", "locks/x/y", "");

    @Provide
    Arbitrary<List<RegistryCommand>> commands() {
        Arbitrary<Long> leaseId = Arbitraries.longs().between(0, 60);
        Arbitrary<Long> version = Arbitraries.longs().between(-1, 60);
        Arbitrary<byte[]> value = Arbitraries.bytes().array(byte[].class).ofMaxSize(8);
        Arbitrary<RegistryCommand> register = Combinators.combine(Arbitraries.of(SERVICES), Arbitraries.of(INSTANCES),
                        Arbitraries.integers().between(0, 3), Arbitraries.of("", "zone-a", "zone-b"),
                        Arbitraries.maps(Arbitraries.of("v", "team"), Arbitraries.of("1", "2")).ofMaxSize(2), leaseId)
                .as((service, id, port, zone, metadata, lease) -> (RegistryCommand) new RegisterInstance(service, id,
                        "10.0.0." + port, 8080 + port, port % 2 == 0, metadata, zone, port * 10, lease));
        Arbitrary<RegistryCommand> deregister = Combinators.combine(Arbitraries.of(SERVICES), Arbitraries.of(INSTANCES))
                .as(DeregisterInstance::new);
        Arbitrary<RegistryCommand> grant = Arbitraries.longs().between(-1, 30_000).map(GrantLease::new);
        Arbitrary<RegistryCommand> revoke = leaseId.map(RevokeLease::new);
        Arbitrary<RegistryCommand> expire = leaseId.list().ofMaxSize(3).map(ExpireLeases::new);
        Arbitrary<RegistryCommand> put = Combinators.combine(Arbitraries.of(KEYS), value, version, leaseId)
                .as(KvPut::new);
        Arbitrary<RegistryCommand> delete = Combinators.combine(Arbitraries.of(KEYS), version).as(KvDelete::new);
        Arbitrary<RegistryCommand> sequential = Combinators.combine(Arbitraries.of("locks", "queue", ""), value, leaseId)
                .as(KvCreateSequential::new);
        return Arbitraries.frequencyOf(
                        Tuple.of(4, register), Tuple.of(2, deregister),
                        Tuple.of(3, grant), Tuple.of(1, revoke),
                        Tuple.of(2, expire), Tuple.of(4, put),
                        Tuple.of(2, delete), Tuple.of(2, sequential))
                .list().ofMaxSize(60);
    }

    @Property(tries = 300)
    void snapshotThenRestoreReproducesTheStateAndItsFuture(@ForAll("commands") List<RegistryCommand> history,
                                                          @ForAll("commands") List<RegistryCommand> future) {
        Driver original = new Driver();
        history.forEach(original::apply);

        Driver restored = new Driver();
        restored.apply(new GrantLease(1)); // restore must replace whatever was there
        restored.machine.restore(original.machine.snapshot());
        restored.nextIndex = original.nextIndex;

        assertThat(restored.machine.snapshot()).isEqualTo(original.machine.snapshot());
        assertSameAnswers(original, restored);
        for (RegistryCommand command : future) {
            assertThat(restored.apply(command)).isEqualTo(original.apply(command));
        }
        assertThat(restored.machine.snapshot()).isEqualTo(original.machine.snapshot());
    }

    @Property(tries = 200)
    void sameCommandsGiveSameResultsAndSnapshotBytes(@ForAll("commands") List<RegistryCommand> history) {
        Driver first = new Driver();
        Driver second = new Driver();

        for (RegistryCommand command : history) {
            assertThat(second.apply(command)).isEqualTo(first.apply(command));
        }

        assertThat(second.machine.snapshot()).isEqualTo(first.machine.snapshot());
    }

    @Property(tries = 200)
    void everyAppliedChangeMovesTheIndexAndEveryRefusalLeavesStateAlone(
            @ForAll("commands") List<RegistryCommand> history) {
        Driver registry = new Driver();
        for (RegistryCommand command : history) {
            byte[] before = registry.machine.snapshot();
            long index = registry.nextIndex;

            RegistryResult result = registry.apply(command);

            if (result instanceof RegistryResult.Ok ok) {
                assertThat(ok.index()).isEqualTo(index);
                assertThat(registry.machine.lastChangeIndex()).isEqualTo(index);
                assertTouchedIndexes(registry, command, ok, index);
            } else {
                assertThat(registry.machine.snapshot()).isEqualTo(before);
            }
        }
    }

    private static void assertTouchedIndexes(Driver registry, RegistryCommand command, RegistryResult.Ok ok,
                                             long index) {
        switch (command) {
            case RegisterInstance c -> assertThat(registry.instances(c.service()).index()).isEqualTo(index);
            case DeregisterInstance c -> assertThat(registry.instances(c.service()).index()).isEqualTo(index);
            case KvPut c -> assertThat(registry.get(c.key()).index()).isEqualTo(index);
            case KvDelete c -> assertThat(registry.prefix(c.key()).index()).isEqualTo(index);
            case KvCreateSequential c -> assertThat(registry.prefix(c.prefix() + "/").index()).isEqualTo(index);
            case GrantLease c -> assertThat(ok.leaseIds()).containsExactly(index);
            case RevokeLease c -> assertThat(ok.leaseIds()).containsExactly(c.leaseId());
            case ExpireLeases c -> assertThat(c.leaseIds()).containsAll(ok.leaseIds());
        }
    }

    private static void assertSameAnswers(Driver expected, Driver actual) {
        List<RegistryQuery> queries = new ArrayList<>();
        queries.add(new RegistryQuery.ListServices());
        SERVICES.forEach(service -> queries.add(new RegistryQuery.GetInstances(service)));
        KEYS.forEach(key -> queries.add(new RegistryQuery.KvGet(key)));
        List.of("", "config/", "locks", "queue/").forEach(prefix -> queries.add(new RegistryQuery.KvGetPrefix(prefix)));
        for (long leaseId = 0; leaseId <= 60; leaseId++) {
            queries.add(new RegistryQuery.GetLease(leaseId));
        }
        for (RegistryQuery query : queries) {
            assertThat(actual.query(query)).as("%s", query).isEqualTo(expected.query(query));
        }
        assertThat(actual.machine.lastChangeIndex()).isEqualTo(expected.machine.lastChangeIndex());
    }
}
