package io.flotilla.id.redis;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.OptionalLong;

import com.zaxxer.hikari.HikariDataSource;
import io.flotilla.testsupport.db.DatabaseEngine;
import io.flotilla.testsupport.db.DatabaseExtension;
import io.flotilla.testsupport.db.Db;
import io.flotilla.testsupport.db.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;

/** The shared mark on each database: created on first write, only ever raised. */
@ExtendWith(DatabaseExtension.class)
class JdbcHighWaterMarkStoreTests {

    static HikariDataSource pool(String url, String user, String password) {
        HikariDataSource pool = new HikariDataSource();
        pool.setJdbcUrl(url);
        pool.setUsername(user);
        pool.setPassword(password);
        pool.setMaximumPoolSize(2);
        return pool;
    }

    static void createTable(HikariDataSource pool) throws IOException, SQLException {
        try (InputStream in = JdbcHighWaterMarkStore.class.getResourceAsStream("flotilla_id_high_water_mark.sql");
                Connection connection = pool.getConnection();
                Statement statement = connection.createStatement()) {
            String sql = new String(in.readAllBytes(), StandardCharsets.UTF_8).replaceAll("(?m)^--.*$", "").strip();
            statement.execute(sql.substring(0, sql.length() - 1));
        }
    }

    private static void markOnlyRises(HikariDataSource pool) throws Exception {
        try (pool) {
            createTable(pool);
            JdbcHighWaterMarkStore store = new JdbcHighWaterMarkStore(pool);
            assertThat(store.load("order")).isEmpty();
            store.store("order", 1_000);
            assertThat(store.load("order")).isEqualTo(OptionalLong.of(1_000));
            store.store("order", 5_000);
            store.store("order", 2_000); // a slower instance's older mark
            assertThat(store.load("order")).isEqualTo(OptionalLong.of(5_000));
            store.store("invoice", 7);
            assertThat(store.load("invoice")).isEqualTo(OptionalLong.of(7));
        }
    }

    @Test
    void markOnlyRisesOnH2() throws Exception {
        markOnlyRises(pool("jdbc:h2:mem:marks-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1", "sa", ""));
    }

    @Test
    void markOnlyRisesOnPostgres(@Db(DatabaseEngine.POSTGRESQL) TestDatabase database) throws Exception {
        markOnlyRises(pool(database.jdbcUrl(), database.username(), database.password()));
    }

    @Test
    void markOnlyRisesOnMariaDb(@Db(DatabaseEngine.MARIADB) TestDatabase database) throws Exception {
        markOnlyRises(pool(database.jdbcUrl(), database.username(), database.password()));
    }
}
