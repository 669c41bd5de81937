package io.flotilla.tx.config;

import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;

import java.util.Locale;

/**
 * Flyway 10+ keeps each database's support in a module of its own, and without it stops with
 * "Unsupported Database: PostgreSQL 15.20", which does not say what to add. This names the module, for the
 * starter's fence-table migration and the application's own alike. Matched by class name so that it loads in
 * applications without Flyway.
 */
class FlywayDatabaseModuleFailureAnalyzer implements FailureAnalyzer {

    private static final String FLYWAY_EXCEPTION = "org.flywaydb.core.api.FlywayException";
    private static final String UNSUPPORTED = "Unsupported Database:";

    @Override
    public FailureAnalysis analyze(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            String message = cause.getMessage();
            if (isFlywayException(cause) && message != null && message.contains(UNSUPPORTED)) {
                String database = message.substring(message.indexOf(UNSUPPORTED) + UNSUPPORTED.length()).trim();
                String module = moduleFor(database);
                return new FailureAnalysis("Flyway cannot migrate " + database + ": its support for this database is "
                        + "in a separate module that is not on the class path (" + message.trim() + ").",
                        "Add the dependency org.flywaydb:" + module + " next to flyway-core (its version is managed "
                                + "by Spring Boot), or, for the tx starter's fence table only, set "
                                + "flotilla.tx.tcc.initialize-schema=false and create the table yourself.",
                        cause);
            }
        }
        return null;
    }

    static String moduleFor(String database) {
        String name = database.toLowerCase(Locale.ROOT);
        if (name.startsWith("postgres") || name.startsWith("cockroach")) {
            return "flyway-database-postgresql";
        }
        if (name.startsWith("mysql") || name.startsWith("mariadb") || name.startsWith("tidb")) {
            return "flyway-mysql";
        }
        if (name.startsWith("microsoft sql server") || name.startsWith("sql server") || name.startsWith("azure")) {
            return "flyway-sqlserver";
        }
        if (name.startsWith("oracle")) {
            return "flyway-database-oracle";
        }
        if (name.startsWith("db2")) {
            return "flyway-database-db2";
        }
        String first = name.split("[^a-z0-9]+")[0];
        return "flyway-database-" + (first.isEmpty() ? "<database>" : first);
    }

    private static boolean isFlywayException(Throwable throwable) {
        for (Class<?> type = throwable.getClass(); type != null; type = type.getSuperclass()) {
            if (type.getName().equals(FLYWAY_EXCEPTION)) {
                return true;
            }
        }
        return false;
    }
}
