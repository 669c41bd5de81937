package io.flotilla.id.core;

import java.time.Instant;

/**
 * Bit layout of a snowflake id: {@code 0 | timestamp | datacenter id | worker id | sequence}, from the most
 * significant bit down. The sign bit is never used, so the four fields must sum to 63 bits.
 *
 * @param epochMillis start of the timestamp field, in milliseconds since 1970-01-01T00:00:00Z
 * @param timestampBits width of the millisecond timestamp field
 * @param datacenterIdBits width of the datacenter id field (may be 0)
 * @param workerIdBits width of the worker id field (may be 0)
 * @param sequenceBits width of the per-millisecond sequence field
 */
public record IdLayout(long epochMillis, int timestampBits, int datacenterIdBits, int workerIdBits, int sequenceBits) {

    /** Usable bits of a signed 64-bit id: the sign bit stays 0 so that ids are positive. */
    public static final int USABLE_BITS = 63;

    /** Epoch of the default layout: 2025-01-01T00:00:00Z. */
    public static final Instant DEFAULT_EPOCH = Instant.parse("2025-01-01T00:00:00Z");

    /**
     * Validates the layout.
     *
     * @throws IllegalArgumentException when a width is out of range or the widths do not sum to 63
     */
    public IdLayout {
        requireRange("timestamp", timestampBits, 1, 62);
        requireRange("datacenter id", datacenterIdBits, 0, 31);
        requireRange("worker id", workerIdBits, 0, 31);
        requireRange("sequence", sequenceBits, 1, 31);
        int sum = timestampBits + datacenterIdBits + workerIdBits + sequenceBits;
        if (sum != USABLE_BITS) {
            throw new IllegalArgumentException("Snowflake bit layout must use exactly " + USABLE_BITS
                    + " bits (the sign bit stays unused), but timestamp " + timestampBits + " + datacenter id "
                    + datacenterIdBits + " + worker id " + workerIdBits + " + sequence " + sequenceBits + " = " + sum);
        }
        if (epochMillis < 0) {
            throw new IllegalArgumentException("Snowflake epoch must not be before 1970-01-01T00:00:00Z, got "
                    + Instant.ofEpochMilli(epochMillis));
        }
    }

    /**
     * Classic Twitter layout: 41-bit milliseconds, 5-bit datacenter, 5-bit worker, 12-bit sequence.
     *
     * @param epoch start of the timestamp field
     * @return the layout
     */
    public static IdLayout standard(Instant epoch) {
        return new IdLayout(epoch.toEpochMilli(), 41, 5, 5, 12);
    }

    private static void requireRange(String field, int bits, int min, int max) {
        if (bits < min || bits > max) {
            throw new IllegalArgumentException(
                    "Snowflake " + field + " field must be " + min + ".." + max + " bits wide, got " + bits);
        }
    }

    /** @return largest timestamp (milliseconds since the epoch) the timestamp field can hold */
    public long maxTimestamp() {
        return (1L << timestampBits) - 1;
    }

    /** @return largest sequence number within one millisecond */
    public long maxSequence() {
        return (1L << sequenceBits) - 1;
    }

    /** @return largest datacenter id the layout can hold */
    public long maxDatacenterId() {
        return (1L << datacenterIdBits) - 1;
    }

    /** @return largest worker id the layout can hold */
    public long maxWorkerId() {
        return (1L << workerIdBits) - 1;
    }

    /** @return last instant whose millisecond the timestamp field can still encode */
    public Instant lastEncodableInstant() {
        return Instant.ofEpochMilli(epochMillis + maxTimestamp());
    }

    /** @return first instant that no longer fits into the timestamp field: the date this layout runs out */
    public Instant exhaustedAt() {
        return Instant.ofEpochMilli(epochMillis + maxTimestamp() + 1);
    }

    int workerIdShift() {
        return sequenceBits;
    }

    int datacenterIdShift() {
        return sequenceBits + workerIdBits;
    }

    int timestampShift() {
        return sequenceBits + workerIdBits + datacenterIdBits;
    }

    /**
     * Builds an id from its fields.
     *
     * @param timestamp milliseconds since the epoch
     * @param datacenterId datacenter id
     * @param workerId worker id
     * @param sequence sequence within the millisecond
     * @return the id
     * @throws IllegalArgumentException when a field does not fit its width
     */
    public long compose(long timestamp, long datacenterId, long workerId, long sequence) {
        requireFits("timestamp", timestamp, maxTimestamp());
        requireFits("datacenter id", datacenterId, maxDatacenterId());
        requireFits("worker id", workerId, maxWorkerId());
        requireFits("sequence", sequence, maxSequence());
        return (timestamp << timestampShift()) | (datacenterId << datacenterIdShift()) | (workerId << workerIdShift())
                | sequence;
    }

    private static void requireFits(String field, long value, long max) {
        if (value < 0 || value > max) {
            throw new IllegalArgumentException(field + " " + value + " does not fit its field (0.." + max + ")");
        }
    }

    /**
     * Splits an id into its fields; the inverse of {@link #compose(long, long, long, long)}.
     *
     * @param id a non-negative id
     * @return the fields
     * @throws InvalidIdException when the id is negative
     */
    public IdParts decompose(long id) {
        if (id < 0) {
            throw new InvalidIdException("Id " + id + " is negative; snowflake ids never use the sign bit");
        }
        long timestamp = id >>> timestampShift();
        long datacenterId = (id >>> datacenterIdShift()) & maxDatacenterId();
        long workerId = (id >>> workerIdShift()) & maxWorkerId();
        long sequence = id & maxSequence();
        return new IdParts(id, epochMillis + timestamp, (int) datacenterId, (int) workerId, sequence);
    }
}
