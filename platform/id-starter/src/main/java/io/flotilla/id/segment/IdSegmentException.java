package io.flotilla.id.segment;

import io.flotilla.id.core.IdGenerationException;

/** No segment could be taken now (store unreachable, overflow); no id was issued by the failed call. */
public class IdSegmentException extends IdGenerationException {

    /**
     * @param message why no segment was taken
     */
    public IdSegmentException(String message) {
        super(message);
    }

    /**
     * @param message why no segment was taken
     * @param cause underlying failure
     */
    public IdSegmentException(String message, Throwable cause) {
        super(message, cause);
    }
}
