package io.flotilla.registry.api;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * One key of the consistent core's KV, as {@code GET /v1/kv/{key}} answers it (and each element of
 * {@code ?recurse}). In JSON {@code value} is base64, since values are bytes.
 *
 * @param key the key
 * @param value the value's bytes
 * @param createIndex log index of the write that created the key; orders sequential keys and lock waiters
 * @param modIndex log index of its last write: the version {@code ?cas=} compares
 * @param leaseId the lease whose end deletes the key, 0 if none
 */
public record KvEntry(String key, byte[] value, long createIndex, long modIndex, long leaseId) {

    public KvEntry {
        Objects.requireNonNull(key, "key");
        value = Objects.requireNonNull(value, "value").clone();
    }

    @Override
    public byte[] value() {
        return value.clone();
    }

    /** @return the value decoded as UTF-8 */
    public String valueAsString() {
        return new String(value, StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof KvEntry entry && key.equals(entry.key) && Arrays.equals(value, entry.value)
                && createIndex == entry.createIndex && modIndex == entry.modIndex && leaseId == entry.leaseId;
    }

    @Override
    public int hashCode() {
        return Objects.hash(key, Arrays.hashCode(value), createIndex, modIndex, leaseId);
    }

    @Override
    public String toString() {
        return "KvEntry[key=" + key + ", " + value.length + " bytes, createIndex=" + createIndex + ", modIndex="
                + modIndex + ", leaseId=" + leaseId + "]";
    }
}
