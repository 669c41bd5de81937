package io.flotilla.lock.jdbc;

import java.time.Duration;

import io.flotilla.lock.core.LockBackendException;
import io.flotilla.testsupport.PortProbe;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A database that refuses connections (a free loopback port, the real driver): every call says so. */
class UnreachableDatabaseTests {

    @Test
    void everyOperationFailsWithALockBackendException() {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL("jdbc:postgresql://127.0.0.1:" + PortProbe.freePort() + "/locks");
        dataSource.setConnectTimeout(5);
        JdbcLockBackend backend = new JdbcLockBackend(dataSource, JdbcLockDialect.POSTGRESQL,
                JdbcLockBackend.DEFAULT_TABLE, Duration.ofMillis(20));
        assertThatThrownBy(() -> backend.acquire("a", "o", Duration.ofSeconds(1), Duration.ZERO))
            .isInstanceOf(LockBackendException.class).hasMessageContaining("flotilla_lock");
        assertThatThrownBy(() -> backend.renew("a", "o", Duration.ofSeconds(1))).isInstanceOf(LockBackendException.class);
        assertThatThrownBy(() -> backend.release("a", "o")).isInstanceOf(LockBackendException.class);
        assertThatThrownBy(() -> backend.inspect("a")).isInstanceOf(LockBackendException.class);
        assertThatThrownBy(() -> JdbcLockDialect.detect(dataSource)).isInstanceOf(LockBackendException.class);
    }
}
