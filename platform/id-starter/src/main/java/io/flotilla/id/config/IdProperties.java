package io.flotilla.id.config;

import io.flotilla.id.core.IdLayout;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Snowflake id generation, under {@code flotilla.id}.
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
}
