package io.flotilla.tx.xa;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.sql.XADataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** XA branches on a real database; one subclass per engine. */
abstract class XaResourceManagerContract {

    private XaResourceManager resources;
    private String tag;

    abstract XADataSource xaDataSource();

    abstract Connection connect() throws SQLException;

    /**
     * Whether the engine lists prepared branches ({@code XA RECOVER}) and reports unknown ones
     * ({@code XAER_NOTA}). PostgreSQL and MariaDB do; H2 lists in-doubt transactions only after a restart of a
     * file database and accepts a commit or rollback of any name.
     */
    boolean fullXaRecovery() {
        return true;
    }

    @BeforeEach
    void createAccounts() throws SQLException {
        tag = "test-" + UUID.randomUUID().toString().substring(0, 8);
        resources = new XaResourceManager(xaDataSource(), tag);
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS account (id INT PRIMARY KEY, balance INT NOT NULL)");
            statement.execute("DELETE FROM account");
            statement.execute("INSERT INTO account (id, balance) VALUES (1, 100)");
        }
    }

    @Test
    void aPreparedBranchIsInvisibleUntilCommittedFromAnotherConnection() throws SQLException {
        String xid = "xid-" + UUID.randomUUID();
        prepareDebit(xid, "1", 30);

        assertThat(balance()).isEqualTo(100);
        if (fullXaRecovery()) {
            assertThat(resources.recover()).extracting(FlotillaXid::xid).contains(xid);
        }

        assertThat(resources.commit(xid, "1")).isTrue();
        assertThat(balance()).isEqualTo(70);
        resources.commit(xid, "1");
        assertThat(balance()).as("a repeated commit changes nothing").isEqualTo(70);
        if (fullXaRecovery()) {
            assertThat(resources.commit(xid, "1")).as("a repeated commit finds nothing and succeeds").isFalse();
            assertThat(resources.recover()).extracting(FlotillaXid::xid).doesNotContain(xid);
        }
    }

    @Test
    void aPreparedBranchRollsBackFromAnotherConnection() throws SQLException {
        String xid = "xid-" + UUID.randomUUID();
        prepareDebit(xid, "1", 30);

        assertThat(resources.rollback(xid, "1")).isTrue();
        assertThat(balance()).isEqualTo(100);
        resources.rollback(xid, "1");
        if (fullXaRecovery()) {
            assertThat(resources.rollback(xid, "1")).isFalse();
        }
    }

    @Test
    void aRollbackOfABranchThatNeverStartedIsEmpty() {
        boolean rolledBack = resources.rollback("xid-" + UUID.randomUUID(), "9");
        if (fullXaRecovery()) {
            assertThat(rolledBack).isFalse();
        }
    }

    @Test
    void aBranchWhoseRollbackCameFirstIsRolledBackAtItsPrepare() throws SQLException {
        String xid = "xid-" + UUID.randomUUID();
        // The initiator gave up on the branch call and rolled back while the branch's work was still running.
        resources.rollback(xid, "1");
        XaResourceManager.OpenBranch branch = resources.start(xid, "1");
        try (Statement statement = branch.connection().createStatement()) {
            statement.executeUpdate("UPDATE account SET balance = balance - 30 WHERE id = 1");
        }

        assertThatThrownBy(branch::prepare).isInstanceOf(XaBranchException.class);

        assertThat(balance()).isEqualTo(100);
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            statement.setQueryTimeout(10);
            assertThat(statement.executeUpdate("UPDATE account SET balance = balance + 1 WHERE id = 1"))
                .as("the row is not locked by a forgotten prepared branch").isEqualTo(1);
        }
        if (fullXaRecovery()) {
            assertThat(resources.recover()).extracting(FlotillaXid::xid).doesNotContain(xid);
        }
    }

    @Test
    void abandonedWorkLeavesNothingPrepared() throws SQLException {
        String xid = "xid-" + UUID.randomUUID();
        XaResourceManager.OpenBranch branch = resources.start(xid, "1");
        try (Statement statement = branch.connection().createStatement()) {
            statement.executeUpdate("UPDATE account SET balance = balance - 5 WHERE id = 1");
        }
        branch.abandon();

        assertThat(balance()).isEqualTo(100);
        assertThat(resources.recover()).extracting(FlotillaXid::xid).doesNotContain(xid);
    }

    @Test
    void recoveryOnlySeesBranchesWithItsOwnTag() throws SQLException {
        XaResourceManager other = new XaResourceManager(xaDataSource(), tag + "-other");
        String xid = "xid-" + UUID.randomUUID();
        prepareDebit(xid, "1", 1);
        try {
            assertThat(other.recover()).extracting(FlotillaXid::xid).doesNotContain(xid);
            // H2 lists no prepared branches at all (they live and die with their connection), so there only the
            // other tag's blindness is checked.
            if (fullXaRecovery()) {
                assertThat(resources.recover()).extracting(FlotillaXid::xid).contains(xid);
            }
        } finally {
            resources.rollback(xid, "1");
        }
    }

    private void prepareDebit(String xid, String branchId, int amount) throws SQLException {
        XaResourceManager.OpenBranch branch = resources.start(xid, branchId);
        try (Statement statement = branch.connection().createStatement()) {
            statement.executeUpdate("UPDATE account SET balance = balance - " + amount + " WHERE id = 1");
        }
        assertThat(branch.prepare()).isTrue();
    }

    private int balance() throws SQLException {
        try (Connection connection = connect(); Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SELECT balance FROM account WHERE id = 1")) {
            row.next();
            return row.getInt(1);
        }
    }
}
