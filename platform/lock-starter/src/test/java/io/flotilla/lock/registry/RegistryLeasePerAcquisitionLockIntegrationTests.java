package io.flotilla.lock.registry;

import java.time.Duration;
import java.util.Optional;

import io.flotilla.lock.core.LockBackend;
import io.flotilla.lock.core.LockState;
import io.flotilla.registry.client.RegistryClient;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Registry locks with a lease per acquisition (the lock-service's mode). */
class RegistryLeasePerAcquisitionLockIntegrationTests extends RegistryLockContract {

    @Override
    RegistryLockBackend newBackend(RegistryClient registry, String prefix) {
        return RegistryLockBackend.perAcquisition(registry, prefix);
    }

    @Test
    void holderThatStopsRenewingLosesTheLockWhenTheRegistryExpiresItsLease() throws Exception {
        RegistryLockBackend backend = backend();
        long token = backend.acquire("expiring", "gone", Duration.ofSeconds(1), Duration.ZERO).orElseThrow()
            .fencingToken();
        Optional<LockBackend.Grant> next = backend.acquire("expiring", "next", LEASE, Duration.ofSeconds(60));
        assertThat(next).isPresent();
        assertThat(next.get().fencingToken()).isGreaterThan(token);
        assertThat(backend.renew("expiring", "gone", LEASE)).isFalse();
        assertThat(backend.release("expiring", "gone")).isFalse();
        assertThat(backend.inspect("expiring")).get().extracting(LockState::owner).isEqualTo("next");
        backend.release("expiring", "next");
    }
}
