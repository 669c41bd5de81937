package io.flotilla.lock.config;

import java.time.Duration;

import io.flotilla.lock.jdbc.JdbcLockBackend;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.jdbc.init.DatabaseInitializationProperties;

/**
 * The JDBC backend, under {@code flotilla.lock.jdbc}. Schema creation follows Spring Boot's JDBC modules (Spring
 * Session, Batch, Quartz): {@code initialize-schema} is {@code embedded} by default, {@code always} or {@code never}
 * (for a schema managed by Flyway or Liquibase, which then copies the shipped script).
 */
@ConfigurationProperties("flotilla.lock.jdbc")
public class JdbcLockProperties extends DatabaseInitializationProperties {

    private static final String DEFAULT_SCHEMA_LOCATION = "classpath:io/flotilla/lock/jdbc/schema-@@platform@@.sql";

    /**
     * Lock table; the shipped schema scripts create flotilla_lock.
     */
    private String tableName = JdbcLockBackend.DEFAULT_TABLE;

    /**
     * Longest a waiter sleeps between two tries; a release in the same process wakes one waiter at once.
     */
    private Duration pollInterval = Duration.ofMillis(50);

    public String getTableName() {
        return tableName;
    }

    public void setTableName(String tableName) {
        this.tableName = tableName;
    }

    public Duration getPollInterval() {
        return pollInterval;
    }

    public void setPollInterval(Duration pollInterval) {
        this.pollInterval = pollInterval;
    }

    @Override
    public String getDefaultSchemaLocation() {
        return DEFAULT_SCHEMA_LOCATION;
    }
}
