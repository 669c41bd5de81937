package io.flotilla.tx.it.ledger;

import org.springframework.beans.factory.InitializingBean;
import org.springframework.jdbc.core.JdbcTemplate;

/** Creates the accounts table on first start; a restarted participant keeps its balances. */
final class LedgerSchema implements InitializingBean {

    private final JdbcTemplate jdbc;

    LedgerSchema(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void afterPropertiesSet() {
        jdbc.execute("CREATE TABLE IF NOT EXISTS account (id VARCHAR(32) PRIMARY KEY, balance BIGINT NOT NULL, "
                + "frozen BIGINT NOT NULL, incoming BIGINT NOT NULL)");
    }
}
