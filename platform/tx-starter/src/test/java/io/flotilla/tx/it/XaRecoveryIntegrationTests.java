package io.flotilla.tx.it;

import io.flotilla.tx.api.BranchRequest;
import io.flotilla.tx.api.GlobalStatus;
import io.flotilla.tx.api.TransactionMode;
import io.flotilla.testsupport.PortProbe;
import io.flotilla.testsupport.db.DatabaseEngine;
import io.flotilla.testsupport.db.DatabaseExtension;
import io.flotilla.testsupport.db.Db;
import io.flotilla.testsupport.db.TestDatabase;
import io.flotilla.tx.core.TransactionListener;
import io.flotilla.tx.xa.XaDataSources;
import io.flotilla.tx.xa.XaRecovery;
import io.flotilla.tx.xa.XaResourceManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Start-up recovery against the real coordinator: in-doubt branches whose participant never heard phase two
 * (its URLs lead nowhere) are resolved by asking the coordinator.
 */
@ExtendWith({SharedLedgerCluster.class, DatabaseExtension.class})
class XaRecoveryIntegrationTests {

    @Test
    void inDoubtBranchesFollowTheCoordinatorsDecision(LedgerCluster cluster,
            @Db(DatabaseEngine.MARIADB) TestDatabase database) throws SQLException {
        try (XaResourceManager resources = new XaResourceManager(
                XaDataSources.forUrl(database.jdbcUrl(), database.username(), database.password()),
                "recovery-" + UUID.randomUUID().toString().substring(0, 8))) {
            inDoubtBranchesFollowTheCoordinatorsDecision(cluster, database, resources);
        }
    }

    private void inDoubtBranchesFollowTheCoordinatorsDecision(LedgerCluster cluster, TestDatabase database,
            XaResourceManager resources) throws SQLException {
        try (Connection connection = database.connect(); Statement statement = connection.createStatement()) {
            // One row per branch: a prepared branch keeps its row locks until it is resolved.
            statement.execute("CREATE TABLE counter (id INT PRIMARY KEY, n INT NOT NULL)");
            statement.execute("INSERT INTO counter VALUES (1, 0), (10, 0), (100, 0), (1000, 0)");
        }
        String nowhere = "http://127.0.0.1:" + PortProbe.freePort() + "/gone";
        BranchRequest unreachable = new BranchRequest("counter", nowhere, nowhere);

        String committed = cluster.coordinator.begin(TransactionMode.XA, Duration.ofSeconds(30), "recover-commit").xid();
        prepareIncrement(resources, committed, Long.toString(cluster.coordinator.registerBranch(committed, unreachable)), database, 1);
        String rolledBack = cluster.coordinator.begin(TransactionMode.XA, Duration.ofSeconds(30), "recover-rollback").xid();
        prepareIncrement(resources, rolledBack, Long.toString(cluster.coordinator.registerBranch(rolledBack, unreachable)), database, 10);
        String unknown = UUID.randomUUID().toString(); // never begun: presumed abort
        prepareIncrement(resources, unknown, "1", database, 100);
        String active = cluster.coordinator.begin(TransactionMode.XA, Duration.ofSeconds(60), "recover-wait").xid();
        prepareIncrement(resources, active, Long.toString(cluster.coordinator.registerBranch(active, unreachable)),
                database, 1000);

        assertThat(cluster.coordinator.commit(committed)).isEqualTo(GlobalStatus.COMMITTING);
        assertThat(cluster.coordinator.rollback(rolledBack).isRollbackDecided()).isTrue();

        XaRecovery.Result result = new XaRecovery(resources, cluster.coordinator, TransactionListener.NONE).recoverOnce();

        assertThat(result).isEqualTo(new XaRecovery.Result(1, 2, 1));
        assertThat(counter(database)).isEqualTo(1);
        assertThat(resources.recover()).extracting(x -> x.xid()).containsExactly(active);
        cluster.coordinator.rollback(active);
        new XaRecovery(resources, cluster.coordinator, TransactionListener.NONE).recoverOnce();
        assertThat(resources.recover()).isEmpty();
        assertThat(counter(database)).isEqualTo(1);
    }

    private static void prepareIncrement(XaResourceManager resources, String xid, String branchId, TestDatabase database,
            int amount) throws SQLException {
        XaResourceManager.OpenBranch branch = resources.start(xid, branchId);
        try (Statement statement = branch.connection().createStatement()) {
            statement.executeUpdate("UPDATE counter SET n = n + " + amount + " WHERE id = " + amount);
        }
        assertThat(branch.prepare()).isTrue();
    }

    private static int counter(TestDatabase database) throws SQLException {
        try (Connection connection = database.connect(); Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SELECT SUM(n) FROM counter")) {
            row.next();
            return row.getInt(1);
        }
    }
}
