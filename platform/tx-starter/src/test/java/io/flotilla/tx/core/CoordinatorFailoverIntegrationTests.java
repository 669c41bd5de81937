package io.flotilla.tx.core;

import io.flotilla.raft.client.FailoverTransport;
import io.flotilla.raft.client.RaftProblemType;
import io.flotilla.testsupport.network.FaultInjectingProxy;
import io.flotilla.testsupport.process.TestCoordinator;
import io.flotilla.tx.api.BranchRequest;
import io.flotilla.tx.api.TransactionMode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The coordinator client's retry rules against a real tx-coordinator, with a {@link FaultInjectingProxy} as the
 * first address and the coordinator itself as the second: a client that repeated a registration it must not
 * repeat would find a node to repeat it on, and the coordinator would show two branches.
 *
 * <p>When a registration's answer is lost the client surfaces an outcome-unknown error rather than reading back
 * and retrying: the coordinator gives a branch no client-chosen identity, and one participant may legitimately
 * register the same resource and URLs twice in one transaction, so a read-back cannot tell "mine arrived" from
 * "an identical one arrived". Failing the registration fails the global transaction, whose rollback cancels the
 * branch if it was registered (an empty rollback for the participant).
 */
class CoordinatorFailoverIntegrationTests {

    private static final BranchRequest BRANCH = new BranchRequest("nowhere", "http://127.0.0.1:9/confirm",
            "http://127.0.0.1:9/cancel");

    private static final Predicate<String> BRANCH_REGISTRATION = line -> line.startsWith("POST ")
            && line.contains("/branches ");

    private static URI coordinatorUrl;

    private FaultInjectingProxy proxy;

    private HttpCoordinatorClient client;

    @BeforeAll
    static void startCoordinator() {
        coordinatorUrl = URI.create(TestCoordinator.shared().url());
    }

    @BeforeEach
    void proxyInFront() {
        proxy = FaultInjectingProxy.to(coordinatorUrl);
        // The proxy and the second address are the same node: leader discovery would rightly send every call to
        // the leader's own address and past the faults, so it is off here; these tests are about the retry rules.
        client = new HttpCoordinatorClient(FailoverTransport.builder().service("coordinator")
            .addresses(List.of(proxy.uri(), coordinatorUrl)).connectTimeout(Duration.ofSeconds(2))
            .requestTimeout(Duration.ofSeconds(15)).failoverTimeout(Duration.ofSeconds(15)).leaderDiscovery(false)
            .build());
    }

    @AfterEach
    void closeProxy() {
        proxy.close();
    }

    @Test
    void aRegistrationWhoseAnswerIsLostIsNeverRegisteredTwice() {
        String xid = client.begin(TransactionMode.TCC, Duration.ofSeconds(30), "lost-answer").xid();
        proxy.loseNextAnswer(BRANCH_REGISTRATION);

        assertThatThrownBy(() -> client.registerBranch(xid, BRANCH))
            .isInstanceOfSatisfying(CoordinatorUnreachableException.class,
                    ex -> assertThat(ex.outcomeUnknown()).as("outcome unknown").isTrue())
            .hasMessageContaining("may or may not have been applied");

        assertThat(proxy.faultsInjected()).as("the answer was lost after the coordinator handled it").isEqualTo(1);
        assertThat(client.status(xid).branches()).as("registered once, by the attempt whose answer was lost")
            .hasSize(1);
        client.rollback(xid);
    }

    @Test
    void aNotAppliedAnswerIsRetriedOnTheNextAddressAndSucceeds() {
        String xid = client.begin(TransactionMode.TCC, Duration.ofSeconds(30), "not-applied").xid();
        proxy.answerNextInstead(BRANCH_REGISTRATION, 503, problem("not-applied"));

        long branchId = client.registerBranch(xid, BRANCH);

        assertThat(proxy.faultsInjected()).isEqualTo(1);
        assertThat(client.status(xid).branches()).singleElement()
            .satisfies(branch -> assertThat(branch.branchId()).isEqualTo(branchId));
        client.rollback(xid);
    }

    @Test
    void aRegistrationAnswered503WithAnUnknownOutcomeIsNotRepeatedElsewhere() {
        String xid = client.begin(TransactionMode.TCC, Duration.ofSeconds(30), "unknown-outcome").xid();
        proxy.answerNextInstead(BRANCH_REGISTRATION, 503, problem("unknown"));

        assertThatThrownBy(() -> client.registerBranch(xid, BRANCH))
            .isInstanceOfSatisfying(CoordinatorUnreachableException.class,
                    ex -> assertThat(ex.outcomeUnknown()).isTrue());

        assertThat(client.status(xid).branches()).as("the second address never saw the registration").isEmpty();
        client.rollback(xid);
    }

    /** A 503 as a Raft node answers it (raft-server's problem contract): type, status, detail and outcome. */
    private static String problem(String outcome) {
        return "{\"type\":\"" + RaftProblemType.NO_LEADER.uri() + "\",\"title\":\"No leader\",\"status\":503,"
                + "\"detail\":\"injected by the test\",\"outcome\":\"" + outcome + "\"}";
    }
}
