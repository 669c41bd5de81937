package io.flotilla.testsupport.db;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

@ExtendWith(DatabaseExtension.class)
class DatabaseExtensionIntegrationTests {

    @Test
    void eachParameterGetsItsOwnPostgresDatabase(@Db(DatabaseEngine.POSTGRESQL) TestDatabase first,
                                                 @Db(DatabaseEngine.POSTGRESQL) TestDatabase second) throws SQLException {
        assertIsolated(first, second);
    }

    @Test
    void eachParameterGetsItsOwnMariaDbDatabase(@Db(DatabaseEngine.MARIADB) TestDatabase first,
                                                @Db(DatabaseEngine.MARIADB) TestDatabase second) throws SQLException {
        assertIsolated(first, second);
    }

    @ParameterizedTest
    @EnumSource(DatabaseEngine.class)
    void closingDropsTheDatabase(DatabaseEngine engine) throws SQLException {
        TestDatabase database = DatabaseServers.server(engine).createDatabase();
        try (Connection connection = database.connect()) {
            assertThat(connection.isValid(2)).isTrue();
        }
        database.close();
        assertThatExceptionOfType(SQLException.class).isThrownBy(() -> {
            try (Connection ignored = database.connect()) {
                // connecting to a dropped database must fail
            }
        });
    }

    private static void assertIsolated(TestDatabase first, TestDatabase second) throws SQLException {
        assertThat(first.name()).isNotEqualTo(second.name());
        try (Connection connection = first.connect(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE marker (id INT PRIMARY KEY)");
            statement.execute("INSERT INTO marker VALUES (1)");
        }
        try (Connection connection = second.connect(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE marker (id INT PRIMARY KEY)");
            try (ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM marker")) {
                rows.next();
                assertThat(rows.getInt(1)).isZero();
            }
        }
    }
}
