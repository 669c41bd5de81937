package io.flotilla.tx.it;

import io.flotilla.tx.api.BranchRequest;
import io.flotilla.tx.api.GlobalStatus;
import io.flotilla.tx.api.TransactionMode;
import io.flotilla.testsupport.PortProbe;
import io.flotilla.tx.core.GlobalTransaction;
import io.flotilla.tx.core.GlobalTransactionRolledBackException;
import io.flotilla.tx.core.GlobalTransactionTemplate;
import io.flotilla.tx.core.HttpCoordinatorClient;
import io.flotilla.tx.core.TransactionListener;
import io.flotilla.tx.core.TransactionNotActiveException;
import io.flotilla.tx.core.UnknownTransactionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Spring-free client against the real coordinator's API. */
@ExtendWith(SharedLedgerCluster.class)
class HttpCoordinatorClientIntegrationTests {

    private static final BranchRequest BRANCH = new BranchRequest("nowhere", "http://127.0.0.1:9/confirm",
            "http://127.0.0.1:9/cancel");

    @Test
    void beginsRegistersAndReadsATransaction(LedgerCluster cluster) {
        GlobalTransaction transaction = cluster.coordinator.begin(TransactionMode.TCC, Duration.ofSeconds(30), "client-test");

        assertThat(transaction.status()).isEqualTo(GlobalStatus.ACTIVE);
        assertThat(transaction.timeoutAt()).isAfter(Instant.now().minusSeconds(60));
        long branchId = cluster.coordinator.registerBranch(transaction.xid(), BRANCH);
        assertThat(cluster.coordinator.status(transaction.xid()).branches()).singleElement()
            .satisfies(branch -> assertThat(branch.branchId()).isEqualTo(branchId));
        assertThat(cluster.coordinator.rollback(transaction.xid()).isRollbackDecided()).isTrue();
    }

    @Test
    void aBranchCannotJoinADecidedTransaction(LedgerCluster cluster) {
        String xid = cluster.coordinator.begin(TransactionMode.XA, Duration.ofSeconds(30), null).xid();
        cluster.coordinator.rollback(xid);

        assertThatThrownBy(() -> cluster.coordinator.registerBranch(xid, BRANCH))
            .isInstanceOf(TransactionNotActiveException.class);
    }

    @Test
    void aCommitAfterTheTimeoutReportsTheRollback(LedgerCluster cluster) {
        GlobalTransactionTemplate template = new GlobalTransactionTemplate(cluster.coordinator, Duration.ofSeconds(30),
                TransactionListener.NONE);

        assertThatThrownBy(() -> template.execute(TransactionMode.TCC, Duration.ofMillis(300), "too-slow", tx -> {
            cluster.coordinator.registerBranch(tx.xid(), BRANCH);
            LedgerCluster.sleep(1500);
            return null;
        })).isInstanceOf(GlobalTransactionRolledBackException.class);
    }

    @Test
    void anUnknownTransactionIsReportedAsSuch(LedgerCluster cluster) {
        assertThatThrownBy(() -> cluster.coordinator.status(UUID.randomUUID().toString()))
            .isInstanceOf(UnknownTransactionException.class);
    }

    @Test
    void aDeadCoordinatorAddressIsSkipped(LedgerCluster cluster) {
        HttpCoordinatorClient client = new HttpCoordinatorClient(
                List.of(URI.create("http://127.0.0.1:" + PortProbe.freePort()), cluster.coordinatorUrl),
                Duration.ofSeconds(2), Duration.ofSeconds(15));

        String xid = client.begin(TransactionMode.TCC, Duration.ofSeconds(10), "failover").xid();

        assertThat(client.commit(xid)).isEqualTo(GlobalStatus.COMMITTED);
    }
}
