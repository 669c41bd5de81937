package io.flotilla.registry.client;

import java.nio.charset.StandardCharsets;

/**
 * One key of the consistent core's KV.
 *
 * @param key the key
 * @param value the value's bytes
 * @param createIndex index of the write that created the key; orders sequential keys and lock waiters
 * @param modIndex index of its last write: the version to pass as {@code cas}
 * @param leaseId the lease whose end deletes the key, 0 if none
 */
public record KvEntry(String key, byte[] value, long createIndex, long modIndex, long leaseId) {

    public KvEntry {
        value = value.clone();
    }

    @Override
    public byte[] value() {
        return this.value.clone();
    }

    /** @return the value decoded as UTF-8 */
    public String valueAsString() {
        return new String(this.value, StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof KvEntry entry && this.key.equals(entry.key)
                && java.util.Arrays.equals(this.value, entry.value) && this.createIndex == entry.createIndex
                && this.modIndex == entry.modIndex && this.leaseId == entry.leaseId;
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(this.key, java.util.Arrays.hashCode(this.value), this.createIndex,
                this.modIndex, this.leaseId);
    }

    @Override
    public String toString() {
        return "KvEntry[key=" + this.key + ", " + this.value.length + " bytes, createIndex=" + this.createIndex
                + ", modIndex=" + this.modIndex + ", leaseId=" + this.leaseId + "]";
    }
}
