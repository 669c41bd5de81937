package io.flotilla.raft.core;

import io.flotilla.raft.ClusterConfig;

import java.util.Map;
import java.util.TreeMap;

/**
 * Which membership is in force. A configuration entry takes effect as soon as it is appended (not when
 * committed), so the latest one in the log rules, and truncating it away reverts to the one before.
 * {@code base} is the configuration covered by the snapshot (or the initial one).
 */
final class ConfigTracker {

    private ClusterConfig base;
    private final TreeMap<Long, ClusterConfig> inLog = new TreeMap<>();

    ConfigTracker(ClusterConfig initial) {
        this.base = initial;
    }

    ClusterConfig latest() {
        return inLog.isEmpty() ? base : inLog.lastEntry().getValue();
    }

    /** Index of the latest configuration entry still in the log, 0 when it comes from the snapshot. */
    long latestIndex() {
        return inLog.isEmpty() ? 0 : inLog.lastKey();
    }

    ClusterConfig at(long index) {
        Map.Entry<Long, ClusterConfig> entry = inLog.floorEntry(index);
        return entry == null ? base : entry.getValue();
    }

    void appended(long index, ClusterConfig config) {
        inLog.put(index, config);
    }

    void truncatedFrom(long index) {
        inLog.tailMap(index, true).clear();
    }

    /** The log up to {@code index} is now a snapshot. */
    void compactedTo(long index) {
        base = at(index);
        inLog.headMap(index, true).clear();
    }

    /** An installed snapshot replaces everything up to {@code index}. */
    void snapshotInstalled(long index, ClusterConfig config) {
        base = config;
        inLog.headMap(index, true).clear();
    }
}
