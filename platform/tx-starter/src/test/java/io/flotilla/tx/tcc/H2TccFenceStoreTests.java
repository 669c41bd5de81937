package io.flotilla.tx.tcc;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import javax.sql.DataSource;
import java.sql.Connection;
import java.util.UUID;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class H2TccFenceStoreTests extends TccFenceStoreContract {

    private DataSource dataSource;

    @BeforeAll
    void migrate() {
        dataSource = new DriverManagerDataSource("jdbc:h2:mem:fence-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");
        FenceSchema.migrate(dataSource);
    }

    @Override
    DataSource dataSource() {
        return dataSource;
    }

    @Override
    int racingIsolation() {
        return Connection.TRANSACTION_READ_COMMITTED;
    }
}
