package io.flotilla.tx.xa;

import javax.sql.XADataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.UUID;

class H2XaResourceManagerTests extends XaResourceManagerContract {

    private final String url = "jdbc:h2:mem:xa-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";

    @Override
    XADataSource xaDataSource() {
        return XaDataSources.forUrl(url, "sa", "");
    }

    @Override
    boolean fullXaRecovery() {
        return false;
    }

    @Override
    Connection connect() throws SQLException {
        return DriverManager.getConnection(url, "sa", "");
    }
}
