package io.flotilla.lock.config;

import javax.sql.DataSource;

import org.springframework.boot.jdbc.init.PropertiesBasedDataSourceScriptDatabaseInitializer;

/**
 * Creates the JDBC backend's lock table from {@code schema-<platform>.sql} when
 * {@code flotilla.lock.jdbc.initialize-schema} says so (the scripts are idempotent: {@code CREATE TABLE IF NOT EXISTS}).
 */
public class JdbcLockSchemaInitializer extends PropertiesBasedDataSourceScriptDatabaseInitializer<JdbcLockProperties> {

    public JdbcLockSchemaInitializer(DataSource dataSource, JdbcLockProperties properties) {
        super(dataSource, properties);
    }
}
