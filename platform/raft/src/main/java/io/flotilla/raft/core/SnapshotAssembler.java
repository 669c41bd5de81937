package io.flotilla.raft.core;

import java.io.ByteArrayOutputStream;

/** Collects the chunks of one incoming snapshot, in order. */
final class SnapshotAssembler {

    final long lastIncludedIndex;
    final long lastIncludedTerm;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    SnapshotAssembler(long lastIncludedIndex, long lastIncludedTerm) {
        this.lastIncludedIndex = lastIncludedIndex;
        this.lastIncludedTerm = lastIncludedTerm;
    }

    boolean isFor(long index, long term) {
        return lastIncludedIndex == index && lastIncludedTerm == term;
    }

    long size() {
        return bytes.size();
    }

    void append(byte[] chunk) {
        bytes.writeBytes(chunk);
    }

    byte[] data() {
        return bytes.toByteArray();
    }
}
