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
