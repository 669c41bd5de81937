package io.flotilla.lockservice.locks;

import java.time.Instant;

/**
 * A held lock.
 *
 * @param name the lock
 * @param owner its holder
 * @param fencingToken strictly increasing per name across holders; send it with every write the lock protects
 *        and have the resource refuse tokens older than the newest it has seen
 * @param expiresAt when the lease runs out unless renewed, by this service's clock
 */
public record LockResponse(String name, String owner, long fencingToken, Instant expiresAt) {
}
