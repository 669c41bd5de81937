package io.flotilla.txcoordinator.state;

import io.flotilla.raft.codec.BinaryWriter;
import io.flotilla.tx.api.BranchBatch;
import io.flotilla.tx.api.BranchStatus;
import io.flotilla.tx.api.GlobalStatus;
import io.flotilla.tx.api.TransactionMode;
import io.flotilla.txcoordinator.state.command.TxCodec;
import io.flotilla.txcoordinator.state.command.TxCommand;
import io.flotilla.txcoordinator.state.command.TxCommand.Begin;
import io.flotilla.txcoordinator.state.command.TxCommand.BranchDone;
import io.flotilla.txcoordinator.state.command.TxCommand.BranchFailed;
import io.flotilla.txcoordinator.state.command.TxCommand.BranchesSettled;
import io.flotilla.txcoordinator.state.command.TxCommand.Commit;
import io.flotilla.txcoordinator.state.command.TxCommand.RegisterBranch;
import io.flotilla.txcoordinator.state.command.TxCommand.Rollback;
import io.flotilla.txcoordinator.state.command.TxCommand.Settled;
import io.flotilla.txcoordinator.state.command.TxQuery;
import io.flotilla.txcoordinator.state.command.TxResult;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The log's side of batched phase two: a branch's announced batch URL, one entry for a batch's outcomes that
 * applies exactly as its single entries would, and logs and snapshots written before batches still read.
 */
class BatchedPhaseTwoStateMachineTests {

    private static final String CONFIRM = "http://127.0.0.1:9/flotilla/tx/tcc/stock/confirm";
    private static final String CANCEL = "http://127.0.0.1:9/flotilla/tx/tcc/stock/cancel";
    private static final String BATCH = "http://127.0.0.1:9/flotilla/tx/phase-two/batch";

    @Test
    void aRegistrationKeepsTheAnnouncedBatchUrlAndOneWithoutIsWrittenAsBeforeBatches() {
        Machine machine = new Machine();
        machine.ok(new Begin("tx-1", TransactionMode.TCC, "", 5_000, 1_000));
        machine.ok(new RegisterBranch("tx-1", "stock", CONFIRM, CANCEL, BATCH, 1_100));
        machine.ok(new RegisterBranch("tx-1", "legacy", CONFIRM, CANCEL, 1_100));

        assertThat(machine.get("tx-1").branches()).extracting(Branch::batchUrl).containsExactly(BATCH, "");
        assertThat(machine.get("tx-1").branches()).extracting(Branch::batched).containsExactly(true, false);

        // The bytes an entry had before batches existed: type 2, four strings, the time.
        byte[] old = new BinaryWriter().writeByte(TxCodec.VERSION).writeByte(2).writeString("tx-1")
                .writeString("legacy").writeString(CONFIRM).writeString(CANCEL).writeLong(1_100).toByteArray();
        assertThat(TxCodec.encode(new RegisterBranch("tx-1", "legacy", CONFIRM, CANCEL, 1_100))).isEqualTo(old);
        assertThat(TxCodec.decodeCommand(old)).isEqualTo(new RegisterBranch("tx-1", "legacy", CONFIRM, CANCEL, "", 1_100));
        TxCommand withBatch = new RegisterBranch("tx-1", "stock", CONFIRM, CANCEL, BATCH, 1_100);
        assertThat(TxCodec.decodeCommand(TxCodec.encode(withBatch))).isEqualTo(withBatch);
    }

    @Test
    void aBatchsOutcomesApplyExactlyAsTheirSingleEntriesWould() {
        Machine batched = new Machine();
        Machine single = new Machine();
        long[] branches = new long[4];
        for (Machine machine : List.of(batched, single)) {
            machine.ok(new Begin("tx-1", TransactionMode.TCC, "", 5_000, 1_000));
            branches[0] = machine.ok(new RegisterBranch("tx-1", "stock", CONFIRM, CANCEL, BATCH, 1_100)).branchId();
            branches[1] = machine.ok(new RegisterBranch("tx-1", "account", CONFIRM, CANCEL, BATCH, 1_100)).branchId();
            machine.ok(new Begin("tx-2", TransactionMode.TCC, "", 5_000, 1_000));
            branches[2] = machine.ok(new RegisterBranch("tx-2", "stock", CONFIRM, CANCEL, BATCH, 1_100)).branchId();
            machine.ok(new Begin("tx-3", TransactionMode.XA, "", 5_000, 1_000));
            branches[3] = machine.ok(new RegisterBranch("tx-3", "stock", CONFIRM, CANCEL, BATCH, 1_100)).branchId();
            machine.ok(new Commit("tx-1", 1_200));
            machine.ok(new Rollback("tx-2", 1_200));
            machine.ok(new Commit("tx-3", 1_200));
        }

        TxResult.Ok answer = batched.ok(new BranchesSettled(List.of(
                new Settled("tx-1", branches[0], ""),
                new Settled("tx-1", branches[1], "HTTP 503 (in a batch)"),
                new Settled("tx-2", branches[2], ""),
                new Settled("gone", 77, ""),
                new Settled("tx-3", 999, ""),
                new Settled("tx-3", branches[3], "")), 1_300));
        single.ok(new BranchDone("tx-1", branches[0], 1_300));
        single.ok(new BranchFailed("tx-1", branches[1], "HTTP 503 (in a batch)", 1_300));
        single.ok(new BranchDone("tx-2", branches[2], 1_300));
        single.ok(new BranchDone("tx-3", branches[3], 1_300));

        assertThat(answer.purged()).as("outcomes applied; the unknown transaction and branch are skipped").isEqualTo(4);
        assertThat(batched.machine.snapshot()).isEqualTo(single.machine.snapshot());
        assertThat(batched.get("tx-1").status()).isEqualTo(GlobalStatus.COMMITTING);
        assertThat(batched.get("tx-1").branches()).extracting(Branch::status)
                .containsExactly(BranchStatus.COMMITTED, BranchStatus.REGISTERED);
        assertThat(batched.get("tx-1").branches().get(1).attempts()).isEqualTo(1);
        assertThat(batched.get("tx-2").status()).isEqualTo(GlobalStatus.ROLLED_BACK);
        assertThat(batched.get("tx-3").status()).isEqualTo(GlobalStatus.COMMITTED);

        // A deposed leader's late batch changes nothing already settled.
        byte[] before = batched.machine.snapshot();
        batched.ok(new BranchesSettled(List.of(new Settled("tx-1", branches[0], "late failure"),
                new Settled("tx-3", branches[3], "")), 1_400));
        assertThat(batched.machine.snapshot()).isEqualTo(before);
    }

    @Test
    void anInvalidBatchIsRefusedWhole() {
        Machine machine = new Machine();
        machine.ok(new Begin("tx-1", TransactionMode.TCC, "", 5_000, 1_000));
        long branch = machine.ok(new RegisterBranch("tx-1", "stock", CONFIRM, CANCEL, BATCH, 1_100)).branchId();
        machine.ok(new Commit("tx-1", 1_200));
        byte[] before = machine.machine.snapshot();

        List<Settled> tooMany = IntStream.rangeClosed(1, BranchBatch.MAX_CALLS + 1)
                .mapToObj(i -> new Settled("tx-1", branch, "")).toList();
        machine.refused(new BranchesSettled(List.of(), 1_300));
        machine.refused(new BranchesSettled(tooMany, 1_300));
        machine.refused(new BranchesSettled(List.of(new Settled("tx-1", branch, ""), new Settled("bad xid", 1, "")),
                1_300));
        machine.refused(new BranchesSettled(List.of(new Settled("tx-1", branch, ""), new Settled("tx-1", 0, "")),
                1_300));
        machine.refused(new RegisterBranch("tx-1", "stock", CONFIRM, CANCEL, "ftp://nowhere", 1_300));

        assertThat(machine.machine.snapshot()).isEqualTo(before);
    }

    @Test
    void snapshotsCarryBatchUrlsAndVersionTwoSnapshotsStillRestore() {
        Machine machine = new Machine();
        machine.ok(new Begin("tx-1", TransactionMode.TCC, "", 5_000, 1_000));
        machine.ok(new RegisterBranch("tx-1", "stock", CONFIRM, CANCEL, BATCH, 1_100));
        machine.ok(new RegisterBranch("tx-1", "legacy", CONFIRM, CANCEL, 1_100));
        TxStateMachine copy = new TxStateMachine();
        copy.restore(machine.machine.snapshot());
        assertThat(copy.snapshot()).isEqualTo(machine.machine.snapshot());
        assertThat(((TxQuery.One) copy.answer(new TxQuery.Get("tx-1"))).transaction().orElseThrow())
                .isEqualTo(machine.get("tx-1"));

        // Version 2: one transaction with one branch, no batch URL after its times, then "no message".
        BinaryWriter v2 = new BinaryWriter().writeByte(2).writeInt(1);
        v2.writeString("tx-9").writeByte(TransactionMode.TCC.ordinal()).writeString("").writeByte(GlobalStatus.COMMITTING.ordinal())
                .writeBoolean(false).writeLong(1).writeLong(5_000).writeLong(2).writeLong(0).writeInt(1);
        v2.writeLong(3).writeString("stock").writeString(CONFIRM).writeString(CANCEL)
                .writeByte(BranchStatus.REGISTERED.ordinal()).writeInt(0).writeString("").writeLong(1).writeLong(0)
                .writeLong(0);
        v2.writeBoolean(false);
        TxStateMachine old = new TxStateMachine();
        old.restore(v2.toByteArray());
        Transaction restored = ((TxQuery.One) old.answer(new TxQuery.Get("tx-9"))).transaction().orElseThrow();
        assertThat(restored.branches()).singleElement().satisfies(b -> {
            assertThat(b.batchUrl()).isEmpty();
            assertThat(b.confirmUrl()).isEqualTo(CONFIRM);
            assertThat(b.pending()).isTrue();
        });
        assertThat(old.answer(new TxQuery.InPhaseTwo())).isEqualTo(new TxQuery.Many(List.of(restored), 1));
    }

    /** A state machine fed through the codec, as the Raft log feeds it. */
    private static final class Machine {

        final TxStateMachine machine = new TxStateMachine();
        private long index;
        private final List<TxResult> results = new ArrayList<>();

        TxResult.Ok ok(TxCommand command) {
            TxResult result = TxCodec.decodeResult(machine.apply(++index, TxCodec.encode(command)));
            results.add(result);
            assertThat(result).as(command.toString()).isInstanceOf(TxResult.Ok.class);
            return (TxResult.Ok) result;
        }

        void refused(TxCommand command) {
            TxResult result = TxCodec.decodeResult(machine.apply(++index, TxCodec.encode(command)));
            assertThat(result).as(command.toString()).isInstanceOf(TxResult.Refused.class);
        }

        Transaction get(String xid) {
            return ((TxQuery.One) machine.answer(new TxQuery.Get(xid))).transaction().orElseThrow();
        }
    }
}
