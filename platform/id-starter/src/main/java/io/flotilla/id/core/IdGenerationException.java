package io.flotilla.id.core;

import java.time.Duration;
import java.util.OptionalLong;

/** The generator cannot issue an id right now; nothing was issued by the failed call. */
public class IdGenerationException extends RuntimeException {

    /**
     * @param message why no id was issued
     */
    public IdGenerationException(String message) {
        super(message);
    }

    /**
     * @param message why no id was issued
     * @param cause underlying failure
     */
    public IdGenerationException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * @return how long until the same call may succeed, or {@code null} when the generator cannot tell; subclasses
     *         that know (a lease being taken again, a clock catching up) say so
     */
    public Duration retryAfter() {
        return null;
    }

    /**
     * The value of an HTTP {@code Retry-After} header for this failure, so every service that answers it with 503
     * rounds the same way.
     *
     * @return {@link #retryAfter()} in whole seconds, rounded up and at least 1; empty when it is not known
     */
    public final OptionalLong retryAfterSeconds() {
        Duration retryAfter = retryAfter();
        return retryAfter == null ? OptionalLong.empty()
                : OptionalLong.of(Math.max(1, (retryAfter.toMillis() + 999) / 1000));
    }
}
