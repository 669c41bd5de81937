package io.flotilla.bench.seata;

import org.springframework.beans.factory.InitializingBean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Creates the accounts table and Seata's TCC fence table on start (the DDL runs on PostgreSQL and MariaDB alike).
 * The fence table is the one Seata documents for {@code useTCCFence}: primary key (xid, branch_id).
 */
@Component
class LedgerSchema implements InitializingBean {

    private final JdbcTemplate jdbc;

    LedgerSchema(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void afterPropertiesSet() {
        jdbc.execute("CREATE TABLE IF NOT EXISTS account (id VARCHAR(32) PRIMARY KEY, balance BIGINT NOT NULL, "
                + "frozen BIGINT NOT NULL, incoming BIGINT NOT NULL)");
        jdbc.execute("CREATE TABLE IF NOT EXISTS tcc_fence_log (xid VARCHAR(128) NOT NULL, branch_id BIGINT NOT NULL, "
                + "action_name VARCHAR(64) NOT NULL, status SMALLINT NOT NULL, gmt_create TIMESTAMP(3) NOT NULL, "
                + "gmt_modified TIMESTAMP(3) NOT NULL, PRIMARY KEY (xid, branch_id))");
    }
}
