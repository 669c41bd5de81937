package io.flotilla.lock.registry;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import io.flotilla.lock.core.LockBackend;
import io.flotilla.lock.core.LockState;
import io.flotilla.registry.client.RegistryClient;
import io.flotilla.testsupport.process.JavaProcess;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Registry locks on one session lease per process (the thread-bound locks' mode). */
class RegistrySessionLockIntegrationTests extends RegistryLockContract {

    @Override
    RegistryLockBackend newBackend(RegistryClient registry, String prefix) {
        return RegistryLockBackend.withSession(registry, prefix, Duration.ofSeconds(10));
    }

    @Test
    void holderProcessKilledWithSigkillLosesItsLockWithinTheSessionTtl() throws Exception {
        // Long enough that a keep-alive delayed by a busy machine does not lose the session before the kill.
        Duration ttl = Duration.ofSeconds(5);
        try (JavaProcess holder = JavaProcess.builder("registry-lock-holder", RegistryLockHolder.class)
            .args(serverAddress().toString(), PREFIX, "crash", Long.toString(ttl.toSeconds()))
            .start()) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (backend().inspect("crash").isEmpty()) {
                assertThat(System.nanoTime()).as("holder never took the lock:\n" + holder.logTail()).isLessThan(deadline);
                Thread.sleep(50);
            }
            LockState held = backend().inspect("crash").orElseThrow();
            Thread.sleep(ttl.multipliedBy(2).toMillis()); // its session is kept alive past two TTLs
            assertThat(backend().inspect("crash")).get().extracting(LockState::owner).isEqualTo(held.owner());

            holder.kill();
            long killedAt = System.nanoTime();
            Optional<LockBackend.Grant> mine = backend().acquire("crash", "successor", LEASE, Duration.ofSeconds(60));
            Duration freedAfter = Duration.ofNanos(System.nanoTime() - killedAt);
            assertThat(mine).isPresent();
            assertThat(mine.get().fencingToken()).isGreaterThan(held.fencingToken());
            // Nothing keeps a dead process's session alive: the registry expires it within its TTL (plus slack
            // for a busy machine), deleting the key.
            assertThat(freedAfter).isLessThan(ttl.plusSeconds(10));
            backend().release("crash", "successor");
        }
    }

    @Test
    void closingTheSessionFreesItsLocksForOtherProcesses() throws Exception {
        RegistryLockBackend other = RegistryLockBackend.withSession(client, PREFIX, Duration.ofSeconds(10));
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
