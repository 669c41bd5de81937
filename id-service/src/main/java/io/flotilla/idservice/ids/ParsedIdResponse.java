package io.flotilla.idservice.ids;

import io.flotilla.id.core.IdParts;

/**
 * Fields of one id.
 *
 * @param id the id as a decimal string
 * @param timestamp moment the id was issued, ISO-8601
 * @param epochMillis the same moment in milliseconds since 1970-01-01T00:00:00Z
 * @param datacenterId datacenter id of the issuing worker
 * @param workerId worker id of the issuing worker
 * @param sequence sequence number within the millisecond
 */
public record ParsedIdResponse(String id, String timestamp, long epochMillis, int datacenterId, int workerId,
        long sequence) {

    static ParsedIdResponse of(IdParts parts) {
        return new ParsedIdResponse(Long.toString(parts.id()), parts.timestamp().toString(), parts.epochMillis(),
                parts.datacenterId(), parts.workerId(), parts.sequence());
    }
}
