package io.flotilla.registryservice.state;

import java.util.Arrays;

/**
 * A key with its value, the log index that created it and the one that last wrote it; {@code leaseId} 0 is
 * none. Equality compares the value's bytes.
 */
public record KvEntry(String key, byte[] value, long createIndex, long modIndex, long leaseId) {

    public KvEntry {
        value = value.clone();
    }

    @Override
    public byte[] value() {
        return value.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof KvEntry entry && key.equals(entry.key) && Arrays.equals(value, entry.value)
                && createIndex == entry.createIndex && modIndex == entry.modIndex && leaseId == entry.leaseId;
    }

    @Override
    public int hashCode() {
        return 31 * key.hashCode() + Arrays.hashCode(value) + Long.hashCode(modIndex);
    }

    @Override
    public String toString() {
        return "KvEntry[" + key + ", " + value.length + " bytes, create=" + createIndex + ", mod=" + modIndex
                + ", lease=" + leaseId + "]";
    }
}
