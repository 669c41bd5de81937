package io.flotilla.testsupport.db;

import java.util.Locale;

/** The relational servers Flotilla's tests run against, and how each names and drops a database. */
public enum DatabaseEngine {

    POSTGRESQL("postgres", "FLOTILLA_TEST_POSTGRES_URL", 5432) {
        @Override
        String databaseUrl(String serverUrl, String database) {
            return replaceDatabase(serverUrl, database);
        }

        @Override
        String dropStatement(String database) {
            return "DROP DATABASE IF EXISTS " + database + " WITH (FORCE)";
        }
    },

    MARIADB("mariadb", "FLOTILLA_TEST_MARIADB_URL", 3306) {
        @Override
        String databaseUrl(String serverUrl, String database) {
            return replaceDatabase(serverUrl, database);
        }

        @Override
        String dropStatement(String database) {
            return "DROP DATABASE IF EXISTS " + database;
        }
    };

    private final String displayName;
    private final String environmentVariable;
    private final int defaultPort;

    DatabaseEngine(String displayName, String environmentVariable, int defaultPort) {
        this.displayName = displayName;
        this.environmentVariable = environmentVariable;
        this.defaultPort = defaultPort;
    }

    public String displayName() {
        return displayName;
    }

    /** Environment variable holding an explicit JDBC URL of a server the tests may create databases on. */
    public String environmentVariable() {
        return environmentVariable;
    }

    public int defaultPort() {
        return defaultPort;
    }

    abstract String databaseUrl(String serverUrl, String database);

    abstract String dropStatement(String database);

    String createStatement(String database) {
        return "CREATE DATABASE " + database;
    }

    /** Swaps the path segment naming the database in a JDBC URL, keeping host, port and parameters. */
    static String replaceDatabase(String jdbcUrl, String database) {
        int schemeEnd = jdbcUrl.indexOf("//");
        if (schemeEnd < 0) {
            throw new IllegalArgumentException("expected a jdbc:<engine>://host:port/db URL, got " + jdbcUrl);
        }
        int pathStart = jdbcUrl.indexOf('/', schemeEnd + 2);
        int queryStart = jdbcUrl.indexOf('?', schemeEnd + 2);
        String query = queryStart < 0 ? "" : jdbcUrl.substring(queryStart);
        String authority = pathStart < 0 || (queryStart >= 0 && queryStart < pathStart)
                ? jdbcUrl.substring(0, queryStart < 0 ? jdbcUrl.length() : queryStart)
                : jdbcUrl.substring(0, pathStart);
        return authority + "/" + database.toLowerCase(Locale.ROOT) + query;
    }
}
