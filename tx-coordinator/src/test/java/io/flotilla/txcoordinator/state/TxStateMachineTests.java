package io.flotilla.txcoordinator.state;

import io.flotilla.tx.api.BranchStatus;
import io.flotilla.tx.api.GlobalStatus;
import io.flotilla.tx.api.TransactionMode;

import io.flotilla.txcoordinator.state.command.TxCodec;
import io.flotilla.txcoordinator.state.command.TxCommand;
import io.flotilla.txcoordinator.state.command.TxCommand.Begin;
import io.flotilla.txcoordinator.state.command.TxCommand.BranchDone;
import io.flotilla.txcoordinator.state.command.TxCommand.BranchFailed;
import io.flotilla.txcoordinator.state.command.TxCommand.Commit;
import io.flotilla.txcoordinator.state.command.TxCommand.Purge;
import io.flotilla.txcoordinator.state.command.TxCommand.RegisterBranch;
import io.flotilla.txcoordinator.state.command.TxCommand.Rollback;
import io.flotilla.txcoordinator.state.command.TxCommand.TimeOut;
import io.flotilla.txcoordinator.state.command.TxQuery;
import io.flotilla.txcoordinator.state.command.TxResult;
import io.flotilla.txcoordinator.state.command.TxResult.Ok;
import io.flotilla.txcoordinator.state.command.TxResult.Reason;
import io.flotilla.txcoordinator.state.command.TxResult.Refused;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TxStateMachineTests {

    private static final String CONFIRM = "http://127.0.0.1:9/confirm";
    private static final String CANCEL = "http://127.0.0.1:9/cancel";

    private final TxStateMachine machine = new TxStateMachine();
    private long index;

    @Test
    void beginOpensAnActiveTransactionWithItsTimeout() {
        Ok begun = ok(new Begin("tx-1", TransactionMode.TCC, "order", 5_000, 1_000));

        assertThat(begun.status()).isEqualTo(GlobalStatus.ACTIVE);
        Transaction t = get("tx-1");
        assertThat(t.createdAt()).isEqualTo(1_000);
        assertThat(t.timeoutAt()).isEqualTo(6_000);
        assertThat(t.name()).isEqualTo("order");
        assertThat(t.mode()).isEqualTo(TransactionMode.TCC);
    }

    @Test
    void commitGoesThroughCommittingToCommittedAsBranchesAreConfirmed() {
        ok(new Begin("tx-1", TransactionMode.TCC, "", 5_000, 1_000));
        long first = ok(new RegisterBranch("tx-1", "stock", CONFIRM, CANCEL, 1_100)).branchId();
        long second = ok(new RegisterBranch("tx-1", "account", CONFIRM, CANCEL, 1_200)).branchId();
        assertThat(first).isEqualTo(2);
        assertThat(second).isEqualTo(3);

        assertThat(ok(new Commit("tx-1", 1_300)).status()).isEqualTo(GlobalStatus.COMMITTING);
        assertThat(ok(new BranchDone("tx-1", first, 1_400)).status()).isEqualTo(GlobalStatus.COMMITTING);
        assertThat(ok(new BranchDone("tx-1", second, 1_500)).status()).isEqualTo(GlobalStatus.COMMITTED);

        Transaction t = get("tx-1");
        assertThat(t.decidedAt()).isEqualTo(1_300);
        assertThat(t.finishedAt()).isEqualTo(1_500);
        assertThat(t.branches()).extracting(Branch::status)
                .containsExactly(BranchStatus.COMMITTED, BranchStatus.COMMITTED);
    }

    @Test
    void rollbackCancelsEveryBranch() {
        ok(new Begin("tx-1", TransactionMode.XA, "", 5_000, 1_000));
        long branch = ok(new RegisterBranch("tx-1", "db", CONFIRM, CANCEL, 1_100)).branchId();

        assertThat(ok(new Rollback("tx-1", 1_200)).status()).isEqualTo(GlobalStatus.ROLLING_BACK);
        assertThat(ok(new BranchDone("tx-1", branch, 1_300)).status()).isEqualTo(GlobalStatus.ROLLED_BACK);
        assertThat(get("tx-1").branches().getFirst().status()).isEqualTo(BranchStatus.ROLLED_BACK);
        assertThat(get("tx-1").timedOut()).isFalse();
    }

    @Test
    void aTransactionWithoutBranchesEndsAtItsDecision() {
        ok(new Begin("tx-1", TransactionMode.TCC, "", 5_000, 1_000));
        ok(new Begin("tx-2", TransactionMode.TCC, "", 5_000, 1_000));

        assertThat(ok(new Commit("tx-1", 1_100)).status()).isEqualTo(GlobalStatus.COMMITTED);
        assertThat(ok(new Rollback("tx-2", 1_100)).status()).isEqualTo(GlobalStatus.ROLLED_BACK);
        assertThat(get("tx-1").finishedAt()).isEqualTo(1_100);
    }

    @Test
    void commitAndRollbackAreIdempotentAndAnswerTheDecisionAlreadyTaken() {
        ok(new Begin("tx-1", TransactionMode.TCC, "", 5_000, 1_000));
        ok(new RegisterBranch("tx-1", "stock", CONFIRM, CANCEL, 1_100));
        ok(new Commit("tx-1", 1_200));
        byte[] before = machine.snapshot();

        assertThat(ok(new Commit("tx-1", 1_300)).status()).isEqualTo(GlobalStatus.COMMITTING);
        assertThat(ok(new Rollback("tx-1", 1_300)).status()).isEqualTo(GlobalStatus.COMMITTING);
        assertThat(machine.snapshot()).isEqualTo(before);
    }

    @Test
    void aBranchIsRefusedOnceTheTransactionIsNoLongerActive() {
        ok(new Begin("tx-1", TransactionMode.TCC, "", 5_000, 1_000));
        ok(new Commit("tx-1", 1_100));
        byte[] before = machine.snapshot();

        Refused refused = refused(new RegisterBranch("tx-1", "late", CONFIRM, CANCEL, 1_200));

        assertThat(refused.reason()).isEqualTo(Reason.CONFLICT);
        assertThat(refused.status()).isEqualTo(GlobalStatus.COMMITTED);
        assertThat(machine.snapshot()).isEqualTo(before);
    }

    @Test
    void aBranchIsRefusedOnceTheTimeoutHasPassedEvenBeforeTheSweeperRan() {
        ok(new Begin("tx-1", TransactionMode.TCC, "", 5_000, 1_000));

        Refused refused = refused(new RegisterBranch("tx-1", "late", CONFIRM, CANCEL, 6_000));

        assertThat(refused.reason()).isEqualTo(Reason.CONFLICT);
        assertThat(refused.message()).contains("timed out");
    }

    @Test
    void aCommitAfterTheTimeoutRollsBack() {
        ok(new Begin("tx-1", TransactionMode.TCC, "", 5_000, 1_000));
        ok(new RegisterBranch("tx-1", "stock", CONFIRM, CANCEL, 1_100));

        assertThat(ok(new Commit("tx-1", 6_000)).status()).isEqualTo(GlobalStatus.ROLLING_BACK);
        assertThat(get("tx-1").timedOut()).isTrue();
    }

    @Test
    void theSweepersTimeOutRollsBackOnlyAnExpiredActiveTransaction() {
        ok(new Begin("tx-1", TransactionMode.TCC, "", 5_000, 1_000));
        ok(new RegisterBranch("tx-1", "stock", CONFIRM, CANCEL, 1_100));

        assertThat(ok(new TimeOut("tx-1", 5_999)).status()).isEqualTo(GlobalStatus.ACTIVE);
        assertThat(answer(new TxQuery.Expired(5_999, 10)).transactions()).isEmpty();
        assertThat(answer(new TxQuery.Expired(6_000, 10)).transactions()).extracting(Transaction::xid)
                .containsExactly("tx-1");

        assertThat(ok(new TimeOut("tx-1", 6_000)).status()).isEqualTo(GlobalStatus.ROLLING_BACK);
        assertThat(get("tx-1").timedOut()).isTrue();
        assertThat(answer(new TxQuery.Expired(10_000, 10)).transactions()).isEmpty();
        assertThat(answer(new TxQuery.InPhaseTwo()).transactions()).extracting(Transaction::xid)
                .containsExactly("tx-1");
    }

    @Test
    void failedAttemptsAreCountedWithTheirLastError() {
        ok(new Begin("tx-1", TransactionMode.TCC, "", 5_000, 1_000));
        long branch = ok(new RegisterBranch("tx-1", "stock", CONFIRM, CANCEL, 1_100)).branchId();
        ok(new Commit("tx-1", 1_200));

        ok(new BranchFailed("tx-1", branch, "HTTP 500", 1_300));
        ok(new BranchFailed("tx-1", branch, "connection refused", 1_400));

        Branch b = get("tx-1").branches().getFirst();
        assertThat(b.attempts()).isEqualTo(2);
        assertThat(b.lastError()).isEqualTo("connection refused");
        assertThat(b.lastAttemptAt()).isEqualTo(1_400);
        assertThat(b.pending()).isTrue();

        assertThat(ok(new BranchDone("tx-1", branch, 1_500)).status()).isEqualTo(GlobalStatus.COMMITTED);
        byte[] done = machine.snapshot();
        ok(new BranchFailed("tx-1", branch, "late report from a deposed leader", 1_600));
        ok(new BranchDone("tx-1", branch, 1_700));
        assertThat(machine.snapshot()).isEqualTo(done);
    }

    @Test
    void phaseTwoReportsAreRefusedForAnActiveTransactionOrAnUnknownBranch() {
        ok(new Begin("tx-1", TransactionMode.TCC, "", 5_000, 1_000));
        long branch = ok(new RegisterBranch("tx-1", "stock", CONFIRM, CANCEL, 1_100)).branchId();

        assertThat(refused(new BranchDone("tx-1", branch, 1_200)).reason()).isEqualTo(Reason.CONFLICT);
        assertThat(refused(new BranchDone("tx-1", 999, 1_200)).reason()).isEqualTo(Reason.NOT_FOUND);
        assertThat(refused(new Commit("nope", 1_200)).reason()).isEqualTo(Reason.NOT_FOUND);
    }

    @Test
    void aDuplicateXidIsRefused() {
        ok(new Begin("tx-1", TransactionMode.TCC, "", 5_000, 1_000));
        assertThat(refused(new Begin("tx-1", TransactionMode.XA, "", 5_000, 1_000)).reason()).isEqualTo(Reason.CONFLICT);
    }

    @Test
    void invalidInputIsRefusedAndChangesNothing() {
        ok(new Begin("tx-1", TransactionMode.TCC, "", 5_000, 1_000));
        byte[] before = machine.snapshot();
        List<TxCommand> invalid = List.of(
                new Begin("", TransactionMode.TCC, "", 5_000, 1_000),
                new Begin("has space", TransactionMode.TCC, "", 5_000, 1_000),
                new Begin("tx-2", TransactionMode.TCC, "", 0, 1_000),
                new Begin("tx-2", TransactionMode.TCC, "", TxValidation.MAX_TIMEOUT_MILLIS + 1, 1_000),
                new Begin("tx-2", TransactionMode.TCC, "bad\nname", 5_000, 1_000),
                new Begin("tx-2", TransactionMode.TCC, "", 5_000, -1),
                new RegisterBranch("tx-1", "", CONFIRM, CANCEL, 1_100),
                new RegisterBranch("tx-1", "stock", "ftp://host/confirm", CANCEL, 1_100),
                new RegisterBranch("tx-1", "stock", CONFIRM, "/relative", 1_100),
                new RegisterBranch("tx-1", "stock", CONFIRM, "http://", 1_100),
                new BranchDone("tx-1", 0, 1_100),
                new BranchFailed("tx-1", 2, "x".repeat(TxValidation.MAX_ERROR_LENGTH + 1), 1_100),
                new Purge(1_000, 0, 1_100));
        for (TxCommand command : invalid) {
            assertThat(refused(command).reason()).as(command.toString()).isEqualTo(Reason.INVALID_INPUT);
        }
        TxResult garbage = TxCodec.decodeResult(machine.apply(++index, new byte[] {1, 42}));
        assertThat(garbage).isInstanceOf(Refused.class);
        assertThat(machine.snapshot()).isEqualTo(before);
    }

    @Test
    void listFiltersByStatusAndAgeOldestFirst() {
        ok(new Begin("b", TransactionMode.TCC, "", 60_000, 2_000));
        ok(new Begin("a", TransactionMode.TCC, "", 60_000, 3_000));
        ok(new Begin("c", TransactionMode.TCC, "", 60_000, 1_000));
        ok(new Commit("a", 3_500));

        assertThat(answer(new TxQuery.ListTransactions(GlobalStatus.ACTIVE, Long.MAX_VALUE, 10)).transactions())
                .extracting(Transaction::xid).containsExactly("c", "b");
        assertThat(answer(new TxQuery.ListTransactions(null, 2_500, 10)).transactions())
                .extracting(Transaction::xid).containsExactly("c", "b");
        TxQuery.Many limited = answer(new TxQuery.ListTransactions(null, Long.MAX_VALUE, 1));
        assertThat(limited.transactions()).extracting(Transaction::xid).containsExactly("c");
        assertThat(limited.matching()).isEqualTo(3);
    }

    @Test
    void listOfAPhaseTwoStatusFindsThoseTransactionsOldestFirst() {
        ok(new Begin("late", TransactionMode.TCC, "", 60_000, 2_000));
        ok(new Begin("early", TransactionMode.TCC, "", 60_000, 1_000));
        ok(new Begin("cancelled", TransactionMode.TCC, "", 60_000, 1_500));
        ok(new Begin("active", TransactionMode.TCC, "", 60_000, 500));
        for (String xid : List.of("late", "early", "cancelled", "active")) {
            ok(new RegisterBranch(xid, "stock", CONFIRM, CANCEL, 2_100));
        }
        ok(new Commit("late", 2_200));
        ok(new Commit("early", 2_200));
        ok(new Rollback("cancelled", 2_200));

        assertThat(answer(new TxQuery.ListTransactions(GlobalStatus.COMMITTING, Long.MAX_VALUE, 10)).transactions())
                .extracting(Transaction::xid).containsExactly("early", "late");
        assertThat(answer(new TxQuery.ListTransactions(GlobalStatus.ROLLING_BACK, Long.MAX_VALUE, 10)).transactions())
                .extracting(Transaction::xid).containsExactly("cancelled");
        TxQuery.Many older = answer(new TxQuery.ListTransactions(GlobalStatus.COMMITTING, 1_500, 10));
        assertThat(older.transactions()).extracting(Transaction::xid).containsExactly("early");
        assertThat(older.matching()).isEqualTo(1);
    }

    @Test
    void purgeForgetsOnlyFinishedTransactionsOlderThanTheCutoff() {
        ok(new Begin("old", TransactionMode.TCC, "", 60_000, 1_000));
        ok(new Commit("old", 1_000));
        ok(new Begin("recent", TransactionMode.TCC, "", 60_000, 1_000));
        ok(new Commit("recent", 5_000));
        ok(new Begin("running", TransactionMode.TCC, "", 60_000, 1_000));

        assertThat(ok(new Purge(2_000, 100, 9_000)).purged()).isEqualTo(1);
        assertThat(machine.answer(new TxQuery.Get("old"))).isEqualTo(new TxQuery.One(java.util.Optional.empty()));
        assertThat(get("recent").status()).isEqualTo(GlobalStatus.COMMITTED);
        assertThat(get("running").status()).isEqualTo(GlobalStatus.ACTIVE);
    }

    @Test
    void aSnapshotRestoresTheSameStateAndTheSameFuture() {
        ok(new Begin("tx-1", TransactionMode.TCC, "checkout", 5_000, 1_000));
        long branch = ok(new RegisterBranch("tx-1", "stock", CONFIRM, CANCEL, 1_100)).branchId();
        ok(new RegisterBranch("tx-1", "account", CONFIRM, CANCEL, 1_100));
        ok(new Commit("tx-1", 1_200));
        ok(new BranchFailed("tx-1", branch, "HTTP 503", 1_300));
        ok(new Begin("tx-2", TransactionMode.XA, "", 5_000, 1_000));
        ok(new Begin("tx-3", TransactionMode.XA, "", 5_000, 1_000));
        ok(new Rollback("tx-3", 1_000));

        byte[] snapshot = machine.snapshot();
        TxStateMachine restored = new TxStateMachine();
        restored.restore(snapshot);

        assertThat(restored.snapshot()).isEqualTo(snapshot);
        assertThat(restored.answer(new TxQuery.Get("tx-1"))).isEqualTo(machine.answer(new TxQuery.Get("tx-1")));
        byte[] next = TxCodec.encode(new BranchDone("tx-1", branch, 1_400));
        assertThat(restored.apply(100, next)).isEqualTo(machine.apply(100, next));
        byte[] timeout = TxCodec.encode(new TimeOut("tx-2", 7_000));
        assertThat(restored.apply(101, timeout)).isEqualTo(machine.apply(101, timeout));
        assertThat(restored.snapshot()).isEqualTo(machine.snapshot());
        assertThat(restored.answer(new TxQuery.InPhaseTwo())).isEqualTo(machine.answer(new TxQuery.InPhaseTwo()));
    }

    private Ok ok(TxCommand command) {
        TxResult result = TxCodec.decodeResult(machine.apply(++index, TxCodec.encode(command)));
        assertThat(result).as(command.toString()).isInstanceOf(Ok.class);
        return (Ok) result;
    }

    private Refused refused(TxCommand command) {
        TxResult result = TxCodec.decodeResult(machine.apply(++index, TxCodec.encode(command)));
        assertThat(result).as(command.toString()).isInstanceOf(Refused.class);
        return (Refused) result;
    }

    private Transaction get(String xid) {
        return ((TxQuery.One) machine.answer(new TxQuery.Get(xid))).transaction().orElseThrow();
    }

    private TxQuery.Many answer(TxQuery query) {
        return (TxQuery.Many) TxCodec.decodeAnswer(machine.query(TxCodec.encode(query)));
    }
}
