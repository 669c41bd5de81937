package io.flotilla.lock.registry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import io.flotilla.lock.core.DefaultLockRegistry;
import io.flotilla.lock.core.DistributedLock;
import io.flotilla.lock.core.LockBackend;
import io.flotilla.lock.core.LockState;
import io.flotilla.registry.client.QueryOptions;
import io.flotilla.registry.client.RegistryClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Registry locks on one session lease per process (the thread-bound locks' mode). */
class RegistrySessionLockIntegrationTests extends RegistryLockContract {

    @Override
    RegistryLockBackend newBackend(RegistryClient registry, String prefix) {
        return RegistryLockBackend.withSession(registry, prefix, Duration.ofSeconds(2));
    }

    @Test
    void closingTheSessionFreesItsLocksForOtherProcesses() throws Exception {
        RegistryLockBackend other = RegistryLockBackend.withSession(client, PREFIX, Duration.ofSeconds(2));
        try {
            long token = other.acquire("session", "other", LEASE, Duration.ZERO).orElseThrow().fencingToken();
            assertThat(backend().acquire("session", "me", LEASE, Duration.ZERO)).isEmpty();
            other.close(); // revokes the session lease: the registry deletes every key on it
            Optional<LockBackend.Grant> mine = backend().acquire("session", "me", LEASE, Duration.ofSeconds(60));
            assertThat(mine).isPresent();
            assertThat(mine.get().fencingToken()).isGreaterThan(token);
            assertThat(backend().release("session", "me")).isTrue();
        } finally {
            other.close();
        }
    }
}
