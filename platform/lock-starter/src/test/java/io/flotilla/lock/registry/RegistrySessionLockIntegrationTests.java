package io.flotilla.lock.registry;

import java.time.Duration;
import java.util.Optional;

import io.flotilla.lock.core.LockBackend;
import io.flotilla.registry.client.RegistryClient;
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
