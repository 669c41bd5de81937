package io.flotilla.registry.client;

import io.flotilla.registry.api.KvEntry;
import java.util.Objects;
import java.util.Optional;

/**
 * A key made by {@link RegistryClient#createSequential}, and the key just before it under the same prefix when it
 * was created (empty when it was the first there): the lowest key of a ZooKeeper-style lock queue holds the lock,
 * and every other contender watches only its predecessor.
 */
public record SequentialKey(KvEntry entry, Optional<String> predecessor) {

    public SequentialKey {
        Objects.requireNonNull(entry, "entry");
        Objects.requireNonNull(predecessor, "predecessor");
    }

    /** Whether no key was before this one when it was created. */
    public boolean first() {
        return predecessor.isEmpty();
    }
}
