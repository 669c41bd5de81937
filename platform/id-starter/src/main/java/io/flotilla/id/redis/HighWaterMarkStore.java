package io.flotilla.id.redis;

import java.util.OptionalLong;

/**
 * Durable high-water marks of {@link RedisIdGenerator}: per counter name, a value no id at or below which may be
 * issued again. Written ahead in coarse steps, so it is touched once per reserve step, not per id.
 */
public interface HighWaterMarkStore {

    /**
     * @param name the counter
     * @return the mark written by an earlier run, or empty when there is none
     */
    OptionalLong load(String name);

    /**
     * Durably records that ids of {@code name} may have been issued up to and including {@code mark}; returns only
     * once the mark survives a crash.
     *
     * @param name the counter
     * @param mark the new mark
     */
    void store(String name, long mark);
}
