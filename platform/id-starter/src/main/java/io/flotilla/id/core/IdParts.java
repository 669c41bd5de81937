package io.flotilla.id.core;

import java.time.Instant;

/**
 * Fields of one snowflake id.
 *
 * @param id the id itself
 * @param epochMillis moment the id was issued, in milliseconds since 1970-01-01T00:00:00Z
 * @param datacenterId datacenter id of the issuing worker
 * @param workerId worker id of the issuing worker
 * @param sequence sequence number within the millisecond
 */
public record IdParts(long id, long epochMillis, int datacenterId, int workerId, long sequence) {

    /** @return moment the id was issued */
    public Instant timestamp() {
        return Instant.ofEpochMilli(epochMillis);
    }
}
