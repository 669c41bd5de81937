package io.flotilla.tx.message;

import io.flotilla.tx.tcc.FenceSchema;
import org.junit.jupiter.api.TestInstance;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import javax.sql.DataSource;
import java.util.UUID;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class H2MessageStoreTests extends MessageStoreContract {

    private DataSource dataSource;

    @Override
    DataSource dataSource() {
        if (dataSource == null) {
            dataSource = new DriverManagerDataSource("jdbc:h2:mem:messages-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1",
                    "sa", "");
            FenceSchema.migrate(dataSource);
        }
        return dataSource;
    }
}
