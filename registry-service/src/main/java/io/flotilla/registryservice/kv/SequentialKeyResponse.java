package io.flotilla.registryservice.kv;

/**
 * The key a sequential create made, its {@code modIndex} (also its {@code createIndex}), and the key just before it
 * under the same prefix at that index, or null when it was the first there. A ZooKeeper-style lock contender holds
 * the lock when {@code predecessor} is null and otherwise watches only that key.
 */
public record SequentialKeyResponse(String key, long modIndex, String predecessor) {
}
