package io.flotilla.id.core;

import java.time.Instant;

/**
 * Current time no longer fits into the layout's timestamp field (or is before its epoch). Issuing would wrap the
 * timestamp and produce negative or repeated ids, so the generator refuses.
 */
public class TimestampOverflowException extends IdGenerationException {

    /**
     * @param now current time
     * @param layout the layout whose timestamp field ran out
     */
    public TimestampOverflowException(Instant now, IdLayout layout) {
        super(message(now, layout));
    }

    static String message(Instant now, IdLayout layout) {
        Instant epoch = Instant.ofEpochMilli(layout.epochMillis());
        if (now.isBefore(epoch)) {
            return "Clock reads " + now + ", before the snowflake epoch " + epoch
                    + "; choose an epoch in the past";
        }
        return "Snowflake layout ran out on " + layout.exhaustedAt() + ": its " + layout.timestampBits()
                + "-bit millisecond timestamp from epoch " + epoch + " cannot encode " + now
                + "; move the epoch forward or widen the timestamp field";
    }
}
