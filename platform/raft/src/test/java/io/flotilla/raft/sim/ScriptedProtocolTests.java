package io.flotilla.raft.sim;

import io.flotilla.raft.ClusterConfig;
import io.flotilla.raft.Role;
import io.flotilla.raft.rpc.AppendEntriesRequest;
import io.flotilla.raft.rpc.AppendEntriesResponse;
import io.flotilla.raft.rpc.VoteRequest;
import io.flotilla.raft.rpc.VoteResponse;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Protocol rules checked message by message against one production node whose peers the test plays. */
class ScriptedProtocolTests {

    private static final ClusterConfig THREE = SimCluster.config(3);

    /** Makes n1 leader: it pre-votes, then votes, and both times n2 grants. */
    private static void electN1(ScriptedNode n1) {
        n1.runFor(400);
        List<VoteRequest> preVotes = n1.take(VoteRequest.class);
        assertThat(preVotes).isNotEmpty().allMatch(VoteRequest::preVote);
        VoteRequest preVote = preVotes.getFirst();
        n1.deliver(new VoteResponse("n2", "n1", preVote.term(), true, true));
        List<VoteRequest> votes = n1.take(VoteRequest.class);
        assertThat(votes).isNotEmpty().noneMatch(VoteRequest::preVote);
        n1.deliver(new VoteResponse("n2", "n1", votes.getFirst().term(), true, false));
        assertThat(n1.status().role()).isEqualTo(Role.LEADER);
    }

    @Test
    void entryOfAnEarlierTermCommitsOnlyWithAnEntryOfTheLeadersTerm() {
        // Figure 8 of the Raft paper: index 2 (term 2) is on a majority once n2 acknowledges it, but a
        // leader of term 4 must not count that; it commits index 2 only with its own NOOP at index 3.
        ScriptedNode n1 = new ScriptedNode("n1", THREE, 3, 1, 2);
        electN1(n1);
        long term = n1.status().term();
        assertThat(term).isEqualTo(4);
        n1.runFor(0);
        n1.take(AppendEntriesRequest.class);

        n1.deliver(new AppendEntriesResponse("n2", "n1", term, true, 2, 0, 0, 0));
        assertThat(n1.status().commitIndex()).isZero();

        n1.deliver(new AppendEntriesResponse("n2", "n1", term, true, 3, 0, 0, 0));
        assertThat(n1.status().commitIndex()).isEqualTo(3);
    }

    @Test
    void rejectionSkipsTheFollowersWholeConflictingTerm() {
        long[] terms = new long[40];
        terms[0] = 1;
        java.util.Arrays.fill(terms, 1, terms.length, 3);
        ScriptedNode n1 = new ScriptedNode("n1", THREE, 3, terms);
        electN1(n1);
        n1.runFor(0);
        AppendEntriesRequest probe = n1.take(AppendEntriesRequest.class).stream()
                .filter(request -> request.to().equals("n2")).findFirst().orElseThrow();
        assertThat(probe.prevLogIndex()).isEqualTo(40);

        // n2 holds index 1 (term 1) and then term 2 entries from 2 to 40 that never reached n1.
        n1.deliver(new AppendEntriesResponse("n2", "n1", n1.status().term(), false, 0, 2, 2, 0));

        AppendEntriesRequest retry = n1.take(AppendEntriesRequest.class).stream()
                .filter(request -> request.to().equals("n2")).findFirst().orElseThrow();
        assertThat(retry.prevLogIndex()).isEqualTo(1);
        assertThat(retry.prevLogTerm()).isEqualTo(1);
        assertThat(retry.entries()).isNotEmpty();
        assertThat(retry.entries().getFirst().index()).isEqualTo(2);
    }

    @Test
    void followerThatHeardFromItsLeaderRefusesPreVotes() {
        ScriptedNode n2 = new ScriptedNode("n2", THREE, 1, 1);
        n2.deliver(new AppendEntriesRequest("n1", "n2", 1, 1, 1, List.of(), 1, 0));
        n2.take(AppendEntriesResponse.class);

        n2.deliver(new VoteRequest("n3", "n2", 2, 1, 1, true, false));
        assertThat(n2.take(VoteResponse.class)).singleElement().satisfies(r -> assertThat(r.granted()).isFalse());

        n2.deliver(new VoteRequest("n3", "n2", 2, 1, 1, false, true));
        assertThat(n2.take(VoteResponse.class)).singleElement().satisfies(r -> assertThat(r.granted()).isTrue());
        assertThat(n2.storage.currentHardState().votedFor()).isEqualTo("n3");
    }

    @Test
    void voteGoesOnlyToACandidateWithALogAtLeastAsUpToDate() {
        ScriptedNode n2 = new ScriptedNode("n2", THREE, 2, 1, 2);
        n2.deliver(new VoteRequest("n3", "n2", 3, 5, 1, false, false));
        assertThat(n2.take(VoteResponse.class)).singleElement().satisfies(r -> assertThat(r.granted()).isFalse());
        assertThat(n2.storage.currentHardState().term()).isEqualTo(3);

        n2.deliver(new VoteRequest("n1", "n2", 3, 2, 2, false, false));
        assertThat(n2.take(VoteResponse.class)).singleElement().satisfies(r -> assertThat(r.granted()).isTrue());
        assertThat(n2.storage.currentHardState().votedFor()).isEqualTo("n1");
    }
}
