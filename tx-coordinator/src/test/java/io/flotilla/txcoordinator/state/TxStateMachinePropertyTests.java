package io.flotilla.txcoordinator.state;

import io.flotilla.tx.api.TransactionMode;

import io.flotilla.txcoordinator.state.command.TxCodec;
import io.flotilla.txcoordinator.state.command.TxCommand;
import io.flotilla.txcoordinator.state.command.TxResult;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random command sequences over a few colliding xids and branch ids, some invalid: a snapshot restores identical
 * bytes and the same future; two machines fed the same commands agree; a refusal leaves the state unchanged.
 * A failure prints its seed; put it in {@code @Property(seed = "…")} to replay.
 */
class TxStateMachinePropertyTests {

    @Property(tries = 200)
    void snapshotsRoundTripAndMachinesAgree(@ForAll("histories") List<TxCommand> history) {
        TxStateMachine first = new TxStateMachine();
        TxStateMachine second = new TxStateMachine();
        int half = history.size() / 2;
        long index = 0;
        for (TxCommand command : history.subList(0, half)) {
            index++;
            byte[] encoded = TxCodec.encode(command);
            byte[] before = first.snapshot();
            byte[] result = first.apply(index, encoded);
            assertThat(second.apply(index, encoded)).isEqualTo(result);
            if (TxCodec.decodeResult(result) instanceof TxResult.Refused) {
                assertThat(first.snapshot()).isEqualTo(before);
            }
        }
        TxStateMachine restored = new TxStateMachine();
        restored.restore(first.snapshot());
        assertThat(restored.snapshot()).isEqualTo(first.snapshot());
        for (TxCommand command : history.subList(half, history.size())) {
            index++;
            byte[] encoded = TxCodec.encode(command);
            assertThat(restored.apply(index, encoded)).isEqualTo(first.apply(index, encoded));
        }
        assertThat(restored.snapshot()).isEqualTo(first.snapshot());
    }

    @Provide
    Arbitrary<List<TxCommand>> histories() {
        Arbitrary<String> xids = Arbitraries.of("a", "b", "c", "bad xid");
        Arbitrary<Long> times = Arbitraries.longs().between(0, 10_000);
        Arbitrary<Long> branchIds = Arbitraries.longs().between(0, 40);
        Arbitrary<TxCommand> begin = Combinators.combine(xids, Arbitraries.of(TransactionMode.values()),
                Arbitraries.longs().between(0, 5_000), times)
                .as((xid, mode, timeout, now) -> new TxCommand.Begin(xid, mode, "", timeout, now));
        Arbitrary<TxCommand> register = Combinators.combine(xids, Arbitraries.of("stock", ""), times)
                .as((xid, resource, now) -> new TxCommand.RegisterBranch(xid, resource, "http://127.0.0.1:1/c",
                        "http://127.0.0.1:1/x", now));
        Arbitrary<TxCommand> commit = Combinators.combine(xids, times).as(TxCommand.Commit::new);
        Arbitrary<TxCommand> rollback = Combinators.combine(xids, times).as(TxCommand.Rollback::new);
        Arbitrary<TxCommand> timeOut = Combinators.combine(xids, times).as(TxCommand.TimeOut::new);
        Arbitrary<TxCommand> done = Combinators.combine(xids, branchIds, times).as(TxCommand.BranchDone::new);
        Arbitrary<TxCommand> failed = Combinators.combine(xids, branchIds, times)
                .as((xid, branch, now) -> new TxCommand.BranchFailed(xid, branch, "HTTP 500", now));
        Arbitrary<TxCommand> purge = Combinators.combine(times, Arbitraries.integers().between(0, 3), times)
                .as(TxCommand.Purge::new);
        return Arbitraries.frequencyOf(
                        net.jqwik.api.Tuple.of(3, begin), net.jqwik.api.Tuple.of(4, register),
                        net.jqwik.api.Tuple.of(2, commit), net.jqwik.api.Tuple.of(1, rollback),
                        net.jqwik.api.Tuple.of(1, timeOut), net.jqwik.api.Tuple.of(4, done),
                        net.jqwik.api.Tuple.of(3, failed), net.jqwik.api.Tuple.of(1, purge))
                .list().ofMinSize(1).ofMaxSize(60);
    }
}
