package io.flotilla.raft.sim;

import io.flotilla.raft.ClusterConfig;
import io.flotilla.raft.CommandResult;
import io.flotilla.raft.LeaderUnavailableException;
import io.flotilla.raft.NotLeaderException;
import io.flotilla.raft.ProposalRefusedException;
import io.flotilla.raft.Role;
import io.flotilla.raft.log.EntryType;
import io.flotilla.raft.log.LogEntry;
import io.flotilla.raft.rpc.AppendEntriesRequest;
import io.flotilla.raft.rpc.AppendEntriesResponse;
import io.flotilla.raft.rpc.ProposeRequest;
import io.flotilla.raft.rpc.ProposeResponse;
import io.flotilla.raft.rpc.VoteRequest;
import io.flotilla.raft.rpc.VoteResponse;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Writes submitted at a follower (proposals, etcd's MsgProp), message by message: the follower's side against a
 * scripted leader, and the leader's side against scripted followers.
 */
class ProposalProtocolTests {

    private static final ClusterConfig THREE = SimCluster.config(3);
    private static final byte[] OK = "OK".getBytes(StandardCharsets.UTF_8);

    /** n2 at term 1, following n1, with index 1 committed. */
    private static ScriptedNode followerOfN1() {
        ScriptedNode n2 = new ScriptedNode("n2", THREE, 1, 1);
        n2.deliver(new AppendEntriesRequest("n1", "n2", 1, 1, 1, List.of(), 1, 0));
        n2.take(AppendEntriesResponse.class);
        return n2;
    }

    /** A COMMAND entry as the leader appends it for a command without a session. */
    private static LogEntry commandEntry(long index, long term, byte[] command) {
        byte[] data = new byte[command.length + 1];
        System.arraycopy(command, 0, data, 1, command.length);
        return new LogEntry(index, term, EntryType.COMMAND, data);
    }

    private static ScriptedNode electedN1() {
        ScriptedNode n1 = new ScriptedNode("n1", THREE, 1, 1);
        n1.runFor(400);
        VoteRequest preVote = n1.take(VoteRequest.class).getFirst();
        n1.deliver(new VoteResponse("n2", "n1", preVote.term(), true, true));
        n1.deliver(new VoteResponse("n2", "n1", n1.take(VoteRequest.class).getFirst().term(), true, false));
        assertThat(n1.status().role()).isEqualTo(Role.LEADER);
        n1.runFor(0);
        long noop = n1.status().lastLogIndex();
        n1.deliver(new AppendEntriesResponse("n2", "n1", n1.status().term(), true, noop, 0, 0, 0));
        assertThat(n1.status().commitIndex()).isEqualTo(noop);
        n1.sent.clear();
        return n1;
    }

    @Test
    void followerProposesToItsLeaderAndAnswersOnceItHasAppliedTheEntryItself() {
        ScriptedNode n2 = followerOfN1();
        byte[] put = KvStateMachine.put("x", "a");
        CompletableFuture<CommandResult> write = n2.node.submit(put);
        n2.runFor(0);

        ProposeRequest proposal = n2.take(ProposeRequest.class).getFirst();
        assertThat(proposal.to()).isEqualTo("n1");
        assertThat(proposal.term()).isEqualTo(1);
        assertThat(proposal.hasSession()).isFalse();
        assertThat(proposal.command()).isEqualTo(put);

        // The leader's answer overtakes the entry: the follower waits until it has the entry and applies it.
        n2.deliver(new ProposeResponse("n1", "n2", 1, proposal.proposalId(), ProposeResponse.Outcome.APPLIED, 2, 1,
                OK, ""));
        assertThat(write).isNotDone();
        n2.deliver(new AppendEntriesRequest("n1", "n2", 1, 1, 1, List.of(commandEntry(2, 1, put)), 1, 0));
        assertThat(write).isNotDone();
        n2.deliver(new AppendEntriesRequest("n1", "n2", 1, 2, 1, List.of(), 2, 0));

        assertThat(write).isCompleted();
        assertThat(write.join().index()).isEqualTo(2);
        assertThat(write.join().result()).isEqualTo(OK);
        assertThat(n2.status().appliedIndex()).isEqualTo(2);
        assertThat(n2.stateMachine.contents()).containsEntry("x", "a");
    }

    @Test
    void answerNamingAnEntryTheFollowerHoldsCommitsItThereAtOnce() {
        ScriptedNode n2 = followerOfN1();
        byte[] put = KvStateMachine.put("x", "b");
        CompletableFuture<CommandResult> write = n2.node.submit(put);
        n2.runFor(0);
        ProposeRequest proposal = n2.take(ProposeRequest.class).getFirst();
        n2.deliver(new AppendEntriesRequest("n1", "n2", 1, 1, 1, List.of(commandEntry(2, 1, put)), 1, 0));

        n2.deliver(new ProposeResponse("n1", "n2", 1, proposal.proposalId(), ProposeResponse.Outcome.APPLIED, 2, 1,
                OK, ""));

        assertThat(write).isCompleted();
        assertThat(n2.status().commitIndex()).isEqualTo(2);
        assertThat(n2.stateMachine.contents()).containsEntry("x", "b");
    }

    @Test
    void answerNamingAnotherEntryAtThatIndexCommitsNothingHere() {
        ScriptedNode n2 = followerOfN1();
        CompletableFuture<CommandResult> write = n2.node.submit(KvStateMachine.put("x", "c"));
        n2.runFor(0);
        ProposeRequest proposal = n2.take(ProposeRequest.class).getFirst();
        // Index 2 here is of term 1; the answer speaks of index 2 of term 2 (another leader's log).
        n2.deliver(new AppendEntriesRequest("n1", "n2", 1, 1, 1,
                List.of(commandEntry(2, 1, KvStateMachine.put("y", "z"))), 1, 0));
        n2.deliver(new ProposeResponse("n1", "n2", 1, proposal.proposalId(), ProposeResponse.Outcome.APPLIED, 2, 2,
                OK, ""));

        assertThat(n2.status().commitIndex()).isEqualTo(1);
        assertThat(write).isNotDone();
    }

    @Test
    void refusedProposalFailsAsNotAppliedAndNamesTheLeaderToTry() {
        ScriptedNode n2 = followerOfN1();
        CompletableFuture<CommandResult> write = n2.node.submit(KvStateMachine.put("x", "a"));
        n2.runFor(0);
        ProposeRequest proposal = n2.take(ProposeRequest.class).getFirst();

        n2.deliver(new ProposeResponse("n1", "n2", 2, proposal.proposalId(), ProposeResponse.Outcome.REFUSED, 0, 0,
                new byte[0], "n3"));

        assertThat(write.exceptionNow()).isInstanceOf(ProposalRefusedException.class);
        assertThat(((ProposalRefusedException) write.exceptionNow()).reason())
                .isInstanceOfSatisfying(NotLeaderException.class, e -> assertThat(e.leaderId()).isEqualTo("n3"));
    }

    @Test
    void answerFromANodeTheProposalWasNotSentToIsIgnored() {
        ScriptedNode n2 = followerOfN1();
        CompletableFuture<CommandResult> write = n2.node.submit(KvStateMachine.put("x", "a"));
        n2.runFor(0);
        ProposeRequest proposal = n2.take(ProposeRequest.class).getFirst();

        n2.deliver(new ProposeResponse("n3", "n2", 1, proposal.proposalId(), ProposeResponse.Outcome.REFUSED, 0, 0,
                new byte[0], ""));

        assertThat(write).isNotDone();
    }

    @Test
    void unansweredProposalEndsUnknownWhenLeadershipMoves() {
        ScriptedNode n2 = followerOfN1();
        CompletableFuture<CommandResult> write = n2.node.submit(KvStateMachine.put("x", "a"));
        n2.runFor(0);

        n2.deliver(new AppendEntriesRequest("n3", "n2", 2, 1, 1, List.of(), 1, 0));

        assertThat(write.exceptionNow()).isInstanceOf(LeaderUnavailableException.class)
                .isNotInstanceOf(ProposalRefusedException.class);
    }

    @Test
    void leaderAppendsAProposalOnceAndAnswersWithTheResultWhenItApplies() {
        ScriptedNode n1 = electedN1();
        long term = n1.status().term();
        long before = n1.status().lastLogIndex();
        ProposeRequest proposal = new ProposeRequest("n2", "n1", term, 42, "", 0, KvStateMachine.put("k", "v"));

        n1.deliver(proposal);
        n1.deliver(proposal);

        assertThat(n1.status().lastLogIndex()).as("a duplicate is not appended again").isEqualTo(before + 1);
        assertThat(n1.take(ProposeResponse.class)).as("no answer before commit").isEmpty();
        n1.deliver(new AppendEntriesResponse("n3", "n1", term, true, before + 1, 0, 0, 0));
        assertThat(n1.take(ProposeResponse.class)).singleElement().satisfies(answer -> {
            assertThat(answer.to()).isEqualTo("n2");
            assertThat(answer.proposalId()).isEqualTo(42);
            assertThat(answer.outcome()).isEqualTo(ProposeResponse.Outcome.APPLIED);
            assertThat(answer.index()).isEqualTo(before + 1);
            assertThat(answer.entryTerm()).isEqualTo(term);
            assertThat(answer.result()).isEqualTo(OK);
        });
        assertThat(n1.stateMachine.contents()).containsEntry("k", "v");
    }

    @Test
    void leaderRefusesAProposalAddressedToAnotherTermWithoutAppendingIt() {
        ScriptedNode n1 = electedN1();
        long term = n1.status().term();
        long before = n1.status().lastLogIndex();

        n1.deliver(new ProposeRequest("n2", "n1", term + 1, 1, "", 0, KvStateMachine.put("k", "v")));
        n1.deliver(new ProposeRequest("n2", "n1", term - 1, 2, "", 0, KvStateMachine.put("k", "w")));

        assertThat(n1.status().lastLogIndex()).isEqualTo(before);
        assertThat(n1.take(ProposeResponse.class)).hasSize(2)
                .allSatisfy(answer -> assertThat(answer.outcome()).isEqualTo(ProposeResponse.Outcome.REFUSED));
    }

    @Test
    void leaderThatLosesLeadershipBeforeCommitAnswersUnknown() {
        ScriptedNode n1 = electedN1();
        long term = n1.status().term();
        n1.deliver(new ProposeRequest("n2", "n1", term, 5, "", 0, KvStateMachine.put("k", "v")));

        n1.deliver(new AppendEntriesRequest("n3", "n1", term + 1, 0, 0, List.of(), 0, 0));

        assertThat(n1.take(ProposeResponse.class)).singleElement()
                .satisfies(answer -> assertThat(answer.outcome()).isEqualTo(ProposeResponse.Outcome.UNKNOWN));
    }

    @Test
    void sessionOfAProposalTravelsIntoTheLogAndDeduplicatesRetries() {
        ScriptedNode n1 = electedN1();
        long term = n1.status().term();
        long before = n1.status().lastLogIndex();
        n1.deliver(new ProposeRequest("n2", "n1", term, 7, "client", 1, KvStateMachine.put("k", "1")));
        n1.deliver(new ProposeRequest("n3", "n1", term, 9, "client", 1, KvStateMachine.put("k", "1")));
        n1.deliver(new AppendEntriesResponse("n3", "n1", term, true, before + 2, 0, 0, 0));

        assertThat(n1.take(ProposeResponse.class)).hasSize(2)
                .allSatisfy(answer -> assertThat(answer.outcome()).isEqualTo(ProposeResponse.Outcome.APPLIED));
        n1.deliver(new ProposeRequest("n2", "n1", term, 8, "client", 2, KvStateMachine.put("k", "2")));
        n1.deliver(new ProposeRequest("n2", "n1", term, 10, "client", 1, KvStateMachine.put("k", "1")));
        n1.deliver(new AppendEntriesResponse("n3", "n1", term, true, before + 4, 0, 0, 0));

        assertThat(n1.take(ProposeResponse.class)).extracting(ProposeResponse::outcome)
                .containsExactly(ProposeResponse.Outcome.APPLIED, ProposeResponse.Outcome.STALE);
        assertThat(n1.stateMachine.contents()).containsEntry("k", "2");
    }
}
