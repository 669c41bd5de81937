package io.flotilla.tx.message;

import io.flotilla.tx.api.GlobalStatus;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;

import javax.sql.DataSource;
import java.util.List;

/**
 * The producer's barrier table ({@value #TABLE}): the row a message's local transaction writes, and what the
 * coordinator's check-back reads. Whoever inserts a message's row first decides: the local transaction
 * (COMMITTED, visible only if it commits) or a check-back that found none (ROLLED_BACK, after which the local
 * transaction's own insert fails on the primary key and it rolls back). A check-back racing a local transaction
 * still running waits on the key until that one ends, so "never ran" is never answered for one about to commit.
 */
public final class MessageBarrier {

    public static final String TABLE = "flotilla_tx_message_barrier";

    private final JdbcTemplate jdbc;

    public MessageBarrier(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
    }

    /**
     * Writes the COMMITTED row in the caller's transaction (JdbcTemplate joins the Spring transaction bound to the
     * data source).
     *
     * @throws MessageAbortedException if a check-back already settled the message as rolled back
     */
    public void commitInCurrentTransaction(String xid) {
        try {
            jdbc.update("INSERT INTO " + TABLE + " (xid, status) VALUES (?, ?)", xid, GlobalStatus.COMMITTED.name());
        } catch (DuplicateKeyException settled) {
            throw new MessageAbortedException(xid);
        }
    }

    /**
     * The check-back's answer, outside any transaction: inserts ROLLED_BACK if there is no row yet ("never ran" made
     * final), and otherwise answers the row that is there.
     */
    public GlobalStatus settle(String xid) {
        try {
            jdbc.update("INSERT INTO " + TABLE + " (xid, status) VALUES (?, ?)", xid, GlobalStatus.ROLLED_BACK.name());
            return GlobalStatus.ROLLED_BACK;
        } catch (DuplicateKeyException exists) {
            List<String> status = jdbc.queryForList("SELECT status FROM " + TABLE + " WHERE xid = ?", String.class,
                    xid);
            return GlobalStatus.valueOf(status.getFirst());
        }
    }
}
