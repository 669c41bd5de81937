package io.flotilla.tx.tcc;

import org.flywaydb.core.Flyway;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;

/**
 * Creates the fence table with the starter's own Flyway migrations ({@code classpath:db/flotilla-tx/<vendor>},
 * history table {@code flotilla_tx_schema_history}), independent of the application's own Flyway. The scripts
 * deliberately live outside {@code db/migration}: Flyway scans locations recursively, so under the application's
 * default location they would be mistaken for the application's own versions.
 */
public final class FenceSchema {

    public static final String HISTORY_TABLE = "flotilla_tx_schema_history";

    private FenceSchema() {
    }

    public static void migrate(DataSource dataSource) {
        Flyway.configure()
            .dataSource(dataSource)
            .locations("classpath:db/flotilla-tx/" + vendor(dataSource))
            .table(HISTORY_TABLE)
            // The schema usually holds the application's tables already; start this history from nothing.
            .baselineOnMigrate(true)
            .baselineVersion("0")
            .load()
            .migrate();
    }

    static String vendor(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection()) {
            String product = connection.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
            if (product.contains("postgres")) {
                return "postgresql";
            }
            if (product.contains("mysql") || product.contains("mariadb")) {
                return "mysql";
            }
            if (product.contains("h2")) {
                return "h2";
            }
            throw new IllegalStateException("no fence table migration for " + product
                    + "; create table " + TccFenceStore.TABLE + " yourself (see db/flotilla-tx/postgresql/V1__tcc_fence.sql) "
                    + "and set flotilla.tx.tcc.initialize-schema=false");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the database product to pick the fence table migration", e);
        }
    }
}
