package io.flotilla.txcoordinator.state;

import io.flotilla.tx.api.BranchStatus;
import io.flotilla.tx.api.GlobalStatus;
import io.flotilla.tx.api.TransactionMode;
import io.flotilla.raft.codec.BinaryWriter;
import io.flotilla.txcoordinator.state.command.TxCodec;
import io.flotilla.txcoordinator.state.command.TxCommand;
import io.flotilla.txcoordinator.state.command.TxCommand.Begin;
import io.flotilla.txcoordinator.state.command.TxCommand.BranchDone;
import io.flotilla.txcoordinator.state.command.TxCommand.CheckBackFailed;
import io.flotilla.txcoordinator.state.command.TxCommand.Commit;
import io.flotilla.txcoordinator.state.command.TxCommand.PrepareMessage;
import io.flotilla.txcoordinator.state.command.TxCommand.RegisterBranch;
import io.flotilla.txcoordinator.state.command.TxCommand.Rollback;
import io.flotilla.txcoordinator.state.command.TxCommand.TimeOut;
import io.flotilla.txcoordinator.state.command.TxQuery;
import io.flotilla.txcoordinator.state.command.TxResult;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Two-phase messages ({@code MSG}) in the transaction log's state machine. */
class MessageStateMachineTests {

    private static final String TARGET = "http://127.0.0.1:9/points";
    private static final String CHECK = "http://127.0.0.1:9/check";

    private final TxStateMachine machine = new TxStateMachine();
    private long index;

    @Test
    void aPreparedMessageKeepsItsPayloadAndIsDeliveredOnlyAfterItsSubmit() {
        apply(new PrepareMessage("m-1", "order-confirmed", CHECK, "{\"points\":5}", 5_000, 1_000));
        long branch = ((TxResult.Ok) apply(new RegisterBranch("m-1", "points", TARGET, TARGET, 1_001))).branchId();

        Transaction prepared = get("m-1");
        assertThat(prepared.mode()).isEqualTo(TransactionMode.MSG);
        assertThat(prepared.message()).isEqualTo(new Message(CHECK, "{\"points\":5}", 0, ""));
        assertThat(machine.answer(new TxQuery.InPhaseTwo())).isEqualTo(new TxQuery.Many(List.of(), 0));

        apply(new Commit("m-1", 1_100));
        assertThat(get("m-1").status()).isEqualTo(GlobalStatus.COMMITTING);
        apply(new BranchDone("m-1", branch, 1_200));
        assertThat(get("m-1").status()).isEqualTo(GlobalStatus.COMMITTED);
    }

    @Test
    void aSubmitAfterTheTimeOutDeliversAndTheSweepersTimeOutLeavesAMessageAlone() {
        apply(new PrepareMessage("m-1", "", CHECK, "{}", 5_000, 1_000));
        apply(new RegisterBranch("m-1", "points", TARGET, TARGET, 1_001));

        apply(new TimeOut("m-1", 9_000));
        assertThat(get("m-1").status()).isEqualTo(GlobalStatus.ACTIVE);

        apply(new Commit("m-1", 9_500));
        assertThat(get("m-1").status()).isEqualTo(GlobalStatus.COMMITTING);
        assertThat(get("m-1").timedOut()).isFalse();
    }

    @Test
    void anAbortEndsTheMessageAndItsTargetsAtOnce() {
        apply(new PrepareMessage("m-1", "", CHECK, "{}", 5_000, 1_000));
        apply(new RegisterBranch("m-1", "points", TARGET, TARGET, 1_001));

        apply(new Rollback("m-1", 1_100));

        Transaction aborted = get("m-1");
        assertThat(aborted.status()).isEqualTo(GlobalStatus.ROLLED_BACK);
        assertThat(aborted.branches()).extracting(Branch::status).containsExactly(BranchStatus.ROLLED_BACK);
        assertThat(((TxResult.Ok) apply(new Commit("m-1", 1_200))).status()).isEqualTo(GlobalStatus.ROLLED_BACK);
    }

    @Test
    void aFailedCheckBackIsCountedAndMovesTheNextOne() {
        apply(new PrepareMessage("m-1", "", CHECK, "{}", 5_000, 1_000));

        apply(new CheckBackFailed("m-1", "HTTP 503", 6_500, 6_000));

        Transaction t = get("m-1");
        assertThat(t.timeoutAt()).isEqualTo(6_500);
        assertThat(t.message().checkAttempts()).isEqualTo(1);
        assertThat(t.message().lastCheckError()).isEqualTo("HTTP 503");
        assertThat(((TxQuery.Many) machine.answer(new TxQuery.Expired(6_000, 10))).transactions()).isEmpty();
        assertThat(((TxQuery.Many) machine.answer(new TxQuery.Expired(6_500, 10))).transactions()).hasSize(1);
    }

    @Test
    void aMessageCannotBeBegunWithoutItsPayloadAndCheckBack() {
        assertThat(apply(new Begin("m-1", TransactionMode.MSG, "", 5_000, 1_000)))
                .isInstanceOf(TxResult.Refused.class);
        assertThat(apply(new PrepareMessage("m-2", "", "not a url", "{}", 5_000, 1_000)))
                .isInstanceOf(TxResult.Refused.class);
    }

    @Test
    void snapshotsCarryMessagesAndVersionOneSnapshotsStillRestore() {
        apply(new PrepareMessage("m-1", "n", CHECK, "{\"a\":1}", 5_000, 1_000));
        apply(new CheckBackFailed("m-1", "down", 7_000, 6_000));
        TxStateMachine copy = new TxStateMachine();
        copy.restore(machine.snapshot());
        assertThat(copy.snapshot()).isEqualTo(machine.snapshot());
        assertThat(((TxQuery.One) copy.answer(new TxQuery.Get("m-1"))).transaction().orElseThrow().message())
                .isEqualTo(get("m-1").message());

        BinaryWriter v1 = new BinaryWriter().writeByte(1).writeInt(1);
        v1.writeString("tx-1").writeByte(TransactionMode.TCC.ordinal()).writeString("").writeByte(0)
                .writeBoolean(false).writeLong(1).writeLong(2).writeLong(0).writeLong(0).writeInt(0);
        TxStateMachine old = new TxStateMachine();
        old.restore(v1.toByteArray());
        assertThat(((TxQuery.One) old.answer(new TxQuery.Get("tx-1"))).transaction()).isPresent();
    }

    private TxResult apply(TxCommand command) {
        return TxCodec.decodeResult(machine.apply(++index, TxCodec.encode(command)));
    }

    private Transaction get(String xid) {
        return ((TxQuery.One) machine.answer(new TxQuery.Get(xid))).transaction().orElseThrow();
    }
}
