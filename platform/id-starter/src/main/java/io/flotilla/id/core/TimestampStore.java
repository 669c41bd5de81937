package io.flotilla.id.core;

import java.util.OptionalLong;

/**
 * Durable high-water mark of issued timestamps, one per worker slot, so that a restarted generator never issues
 * in a millisecond it may already have used. The generator writes ahead in coarse steps (it reserves time up to
 * a mark and rewrites the mark only when issuing passes it), so the store is touched about once per reserve step,
 * never per id.
 */
public interface TimestampStore {

    /**
     * Reads the mark written by an earlier run.
     *
     * @param workerId the worker slot
     * @return milliseconds since 1970-01-01T00:00:00Z no id of this slot was issued after, or empty if none was stored
     */
    OptionalLong load(WorkerId workerId);

    /**
     * Durably records that ids of this slot may be issued up to and including {@code epochMillis}; returns only
     * once the mark survives a crash.
     *
     * @param workerId the worker slot
     * @param epochMillis the new mark, in milliseconds since 1970-01-01T00:00:00Z
     */
    void store(WorkerId workerId, long epochMillis);
}
