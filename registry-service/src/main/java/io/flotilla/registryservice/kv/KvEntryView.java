package io.flotilla.registryservice.kv;

import io.flotilla.registryservice.state.KvEntry;

import java.util.Base64;

/**
 * A key in JSON: {@code value} is base64 (values are bytes); {@code createIndex} / {@code modIndex} are the log
 * indexes that created and last wrote it ({@code modIndex} is what {@code ?cas=} compares); {@code leaseId} 0 is
 * none.
 */
public record KvEntryView(String key, String value, long createIndex, long modIndex, long leaseId) {

    static KvEntryView of(KvEntry entry) {
        return new KvEntryView(entry.key(), Base64.getEncoder().encodeToString(entry.value()), entry.createIndex(),
                entry.modIndex(), entry.leaseId());
    }
}
