package io.flotilla.tx.xa;

import io.flotilla.testsupport.db.DatabaseEngine;
import io.flotilla.testsupport.db.DatabaseExtension;
import io.flotilla.testsupport.db.Db;
import io.flotilla.testsupport.db.TestDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import javax.sql.XAConnection;
import javax.sql.XADataSource;
import javax.transaction.xa.XAResource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** MariaDB keeps a prepared XA transaction when its connection closes (10.5.2 and later). */
@ExtendWith(DatabaseExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MariaDbXaResourceManagerIntegrationTests extends XaResourceManagerContract {

    private TestDatabase database;

    @BeforeAll
    void database(@Db(DatabaseEngine.MARIADB) TestDatabase database) {
        this.database = database;
    }

    @Override
    XADataSource xaDataSource() {
        return XaDataSources.forUrl(database.jdbcUrl(), database.username(), database.password());
    }

    @Override
    Connection connect() throws SQLException {
        return database.connect();
    }

    /**
     * MariaDB refuses to finish a prepared branch from another session ({@code XAER_NOTA}) until the session that
     * prepared it has ended, which can be just after phase two arrives (closing a connection does not wait for the
     * server). That refusal must be "try again", not "already finished": found by the Seata side-by-side benchmark,
     * where an acknowledged commit left its branch prepared.
     */
    @Test
    void aCommitWhileThePreparingSessionIsStillAttachedIsRetriedNotAcknowledged() throws Exception {
        String tag = "attached-" + UUID.randomUUID().toString().substring(0, 8);
        XaResourceManager resources = new XaResourceManager(xaDataSource(), tag);
        FlotillaXid branch = new FlotillaXid("xid-" + UUID.randomUUID(), "1", tag);
        XAConnection preparing = xaDataSource().getXAConnection();
        try {
            XAResource resource = preparing.getXAResource();
            resource.start(branch, XAResource.TMNOFLAGS);
            try (Statement statement = preparing.getConnection().createStatement()) {
                statement.executeUpdate("UPDATE account SET balance = balance - 30 WHERE id = 1");
            }
            resource.end(branch, XAResource.TMSUCCESS);
            assertThat(resource.prepare(branch)).isEqualTo(XAResource.XA_OK);

            assertThatThrownBy(() -> resources.commit(branch.xid(), branch.branchId()))
                    .isInstanceOf(XaBranchException.class).hasMessageContaining("still attached");
            assertThat(resources.recover()).as("the branch is still prepared").contains(branch);
        } finally {
            preparing.close();
        }
        assertThat(awaitCommit(resources, branch)).as("once the session ended, the commit is made").isTrue();
        assertThat(balance()).isEqualTo(70);
    }

    /** The server ends the closed session shortly after the client closed it. */
    private static boolean awaitCommit(XaResourceManager resources, FlotillaXid branch) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (true) {
            try {
                return resources.commit(branch.xid(), branch.branchId());
            } catch (XaBranchException stillAttached) {
                if (System.nanoTime() > deadline) {
                    throw stillAttached;
                }
                Thread.sleep(20);
            }
        }
    }

    private int balance() throws SQLException {
        try (Connection connection = connect(); Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SELECT balance FROM account WHERE id = 1")) {
            row.next();
            return row.getInt(1);
        }
    }
}
