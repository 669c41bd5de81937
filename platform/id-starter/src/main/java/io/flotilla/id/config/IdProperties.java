package io.flotilla.id.config;

import io.flotilla.id.core.IdLayout;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Id generation, under {@code flotilla.id}: snowflake (the top-level properties), segment ids
 * ({@code flotilla.id.segment.*}) and Redis counters ({@code flotilla.id.redis.*}).
 */
@ConfigurationProperties("flotilla.id")
public class IdProperties {

    /**
     * Start of the millisecond timestamp field; with 41 bits, ids run out about 69 years later.
     */
    private Instant epoch = IdLayout.DEFAULT_EPOCH;

    /**
     * Width of the millisecond timestamp field; the four widths must sum to 63.
     */
    private int timestampBits = 41;

    /**
     * Width of the datacenter id field.
     */
    private int datacenterIdBits = 5;

    /**
     * Width of the worker id field.
     */
    private int workerIdBits = 5;

    /**
     * Width of the per-millisecond sequence field (12 bits: 4096 ids per millisecond).
     */
    private int sequenceBits = 12;

    /**
     * Datacenter id of this node; must fit the datacenter id field.
     */
    private int datacenterId = 0;

    /**
     * Worker id of this node within its datacenter; must fit the worker id field and be unique per datacenter.
     */
    private int workerId = 0;

    /**
     * Largest clock step backwards that is waited out; larger ones are refused until the clock catches up.
     */
    private Duration maxBackwardStep = Duration.ofMillis(5);

    /**
     * Directory of the timestamp high-water mark files, one per worker slot, named datacenter-worker.state.
     */
    private Path stateDir = Path.of(System.getProperty("java.io.tmpdir"), "flotilla-id");

    /**
     * How far ahead the persisted high-water mark is reserved; a restart within this time waits for it to pass.
     */
    private Duration reserveStep = Duration.ofSeconds(1);

    /**
     * Delay before the first attempt to lease a worker slot again after the lease was lost; doubles with each
     * failed attempt.
     */
    private Duration leaseRetryInitialBackoff = Duration.ofMillis(500);

    /**
     * Longest delay between attempts to lease a worker slot again while they fail.
     */
    private Duration leaseRetryMaxBackoff = Duration.ofSeconds(30);

    private final Segment segment = new Segment();

    private final Redis redis = new Redis();

    public Segment getSegment() {
        return this.segment;
    }

    public Redis getRedis() {
        return this.redis;
    }

    public Instant getEpoch() {
        return this.epoch;
    }

    public void setEpoch(Instant epoch) {
        this.epoch = epoch;
    }

    public int getTimestampBits() {
        return this.timestampBits;
    }

    public void setTimestampBits(int timestampBits) {
        this.timestampBits = timestampBits;
    }

    public int getDatacenterIdBits() {
        return this.datacenterIdBits;
    }

    public void setDatacenterIdBits(int datacenterIdBits) {
        this.datacenterIdBits = datacenterIdBits;
    }

    public int getWorkerIdBits() {
        return this.workerIdBits;
    }

    public void setWorkerIdBits(int workerIdBits) {
        this.workerIdBits = workerIdBits;
    }

    public int getSequenceBits() {
        return this.sequenceBits;
    }

    public void setSequenceBits(int sequenceBits) {
        this.sequenceBits = sequenceBits;
    }

    public int getDatacenterId() {
        return this.datacenterId;
    }

    public void setDatacenterId(int datacenterId) {
        this.datacenterId = datacenterId;
    }

    public int getWorkerId() {
        return this.workerId;
    }

    public void setWorkerId(int workerId) {
        this.workerId = workerId;
    }

    public Duration getMaxBackwardStep() {
        return this.maxBackwardStep;
    }

    public void setMaxBackwardStep(Duration maxBackwardStep) {
        this.maxBackwardStep = maxBackwardStep;
    }

    public Path getStateDir() {
        return this.stateDir;
    }

    public void setStateDir(Path stateDir) {
        this.stateDir = stateDir;
    }

    public Duration getReserveStep() {
        return this.reserveStep;
    }

    public void setReserveStep(Duration reserveStep) {
        this.reserveStep = reserveStep;
    }

    public Duration getLeaseRetryInitialBackoff() {
        return this.leaseRetryInitialBackoff;
    }

    public void setLeaseRetryInitialBackoff(Duration leaseRetryInitialBackoff) {
        this.leaseRetryInitialBackoff = leaseRetryInitialBackoff;
    }

    public Duration getLeaseRetryMaxBackoff() {
        return this.leaseRetryMaxBackoff;
    }

    public void setLeaseRetryMaxBackoff(Duration leaseRetryMaxBackoff) {
        this.leaseRetryMaxBackoff = leaseRetryMaxBackoff;
    }

    /**
     * Builds the bit layout these properties describe.
     *
     * @return the layout
     * @throws IllegalArgumentException naming the offending {@code flotilla.id.*} properties when it is invalid
     */
    public IdLayout toLayout() {
        try {
            return new IdLayout(this.epoch.toEpochMilli(), this.timestampBits, this.datacenterIdBits,
                    this.workerIdBits, this.sequenceBits);
        }
        catch (IllegalArgumentException ex) {
            throw new IllegalArgumentException("Invalid flotilla.id bit layout (flotilla.id.timestamp-bits, "
                    + "datacenter-id-bits, worker-id-bits, sequence-bits, epoch): " + ex.getMessage(), ex);
        }
    }

    /** Segment ids (Leaf-segment) from the application's {@code DataSource}. */
    public static class Segment {

        /**
         * Whether to configure a SegmentIdGenerator when the application has a single DataSource.
         */
        private boolean enabled = true;

        /**
         * Largest segment the adaptive step may take at once; also the largest step a tag may be created with.
         */
        private long maxStep = 1_000_000;

        /**
         * How long one segment should last: a segment used up faster doubles the next, one lasting twice as long
         * halves it (never below the tag's own step).
         */
        private Duration targetDuration = Duration.ofMinutes(15);

        public boolean isEnabled() {
            return this.enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public long getMaxStep() {
            return this.maxStep;
        }

        public void setMaxStep(long maxStep) {
            this.maxStep = maxStep;
        }

        public Duration getTargetDuration() {
            return this.targetDuration;
        }

        public void setTargetDuration(Duration targetDuration) {
            this.targetDuration = targetDuration;
        }
    }

    /** Ids from Redis counters, when the application has Spring Data Redis. */
    public static class Redis {

        /**
         * Whether to configure a RedisIdGenerator when the application has a RedisConnectionFactory.
         */
        private boolean enabled = true;

        /**
         * Prefix of the counters' Redis keys; a counter named order is the key flotilla:id:order.
         */
        private String keyPrefix = "flotilla:id:";

        /**
         * Where the high-water marks are kept: file (one per counter under state-dir, guarding this process's
         * ids) or jdbc (table flotilla_id_high_water_mark in the application's DataSource, shared by every
         * instance).
         */
        private MarkStore markStore = MarkStore.FILE;

        /**
         * Directory of the counters' high-water mark files, one per counter, named name.mark; must survive
         * restarts. Defaults to the redis folder under flotilla.id.state-dir.
         */
        private Path stateDir;

        /**
         * How far ahead of the issued ids the high-water mark is written: one durable write per this many ids;
         * a restart skips up to this many ids.
         */
        private long reserveStep = 1000;

        public boolean isEnabled() {
            return this.enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public MarkStore getMarkStore() {
            return this.markStore;
        }

        public void setMarkStore(MarkStore markStore) {
            this.markStore = markStore;
        }

        public String getKeyPrefix() {
            return this.keyPrefix;
        }

        public void setKeyPrefix(String keyPrefix) {
            this.keyPrefix = keyPrefix;
        }

        public Path getStateDir() {
            return this.stateDir;
        }

        public void setStateDir(Path stateDir) {
            this.stateDir = stateDir;
        }

        public long getReserveStep() {
            return this.reserveStep;
        }

        public void setReserveStep(long reserveStep) {
            this.reserveStep = reserveStep;
        }
    }

    /** Where {@code RedisIdGenerator} keeps its high-water marks. */
    public enum MarkStore {

        /** One file per counter under {@code flotilla.id.redis.state-dir}; guards this process's ids. */
        FILE,

        /** A row per counter in the application's {@code DataSource}, shared by every instance. */
        JDBC
    }
}
