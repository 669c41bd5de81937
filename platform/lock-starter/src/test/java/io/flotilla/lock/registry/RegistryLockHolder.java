package io.flotilla.lock.registry;

import java.net.URI;
import java.time.Duration;

import io.flotilla.lock.core.DefaultLockRegistry;
import io.flotilla.registry.client.RegistryClient;

/**
 * A separate JVM for {@code RegistrySessionLockIntegrationTests}: takes one lock on the registry backend's session
 * lease and keeps it until killed.
 *
 * <p>Arguments: registry-address key-prefix lock-name session-ttl-seconds
 */
public final class RegistryLockHolder {

    public static void main(String[] args) throws Exception {
        RegistryClient client = RegistryClient.builder().address(URI.create(args[0])).build();
        RegistryLockBackend backend = RegistryLockBackend.withSession(client, args[1],
                Duration.ofSeconds(Long.parseLong(args[3])));
        DefaultLockRegistry registry = new DefaultLockRegistry(backend, Duration.ofSeconds(30));
        long token = registry.lock(args[2]).lock();
        System.out.println("holding " + args[2] + " with token " + token);
        Thread.sleep(Long.MAX_VALUE);
    }
}
