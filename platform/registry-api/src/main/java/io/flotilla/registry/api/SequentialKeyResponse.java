package io.flotilla.registry.api;

import java.util.Objects;

/**
 * Answer to {@code POST /v1/kv/{prefix}?sequential} (201): the key made, its {@code modIndex} (also its
 * {@code createIndex}), and the key just before it under the same prefix at that index, or {@code null} when it
 * was the first there. A ZooKeeper-style lock contender holds the lock when {@code predecessor} is null and
 * otherwise watches only that key.
 */
public record SequentialKeyResponse(String key, long modIndex, String predecessor) {

    public SequentialKeyResponse {
        Objects.requireNonNull(key, "key");
    }
}
