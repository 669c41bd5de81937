package io.flotilla.bench.id;

/**
 * The textbook snowflake, as found in most tutorials: one {@code synchronized} method, a spin to the next
 * millisecond when the sequence runs out, an exception on any clock rollback. Benchmark baseline only; it has
 * none of the generator's restart safety or rollback tolerance. 41-bit timestamp, then the node id, then the
 * sequence.
 */
final class SynchronizedSnowflake {

    private static final long EPOCH = 1_735_689_600_000L;

    private static final int TIMESTAMP_SHIFT = 63 - 41;

    private final long sequenceMask;

    private final long nodeBits;

    private long sequence = 0L;

    private long lastTimestamp = -1L;

    SynchronizedSnowflake(int sequenceBits, long nodeId) {
        this.sequenceMask = ~(-1L << sequenceBits);
        this.nodeBits = nodeId << sequenceBits;
    }

    synchronized long nextId() {
        long timestamp = System.currentTimeMillis();
        if (timestamp < lastTimestamp) {
            throw new IllegalStateException("Clock moved backwards by " + (lastTimestamp - timestamp) + " ms");
        }
        if (lastTimestamp == timestamp) {
            sequence = (sequence + 1) & sequenceMask;
            if (sequence == 0) {
                timestamp = tilNextMillis(lastTimestamp);
            }
        }
        else {
            sequence = 0L;
        }
        lastTimestamp = timestamp;
        return ((timestamp - EPOCH) << TIMESTAMP_SHIFT) | nodeBits | sequence;
    }

    private static long tilNextMillis(long lastTimestamp) {
        long timestamp = System.currentTimeMillis();
        while (timestamp <= lastTimestamp) {
            timestamp = System.currentTimeMillis();
        }
        return timestamp;
    }
}
