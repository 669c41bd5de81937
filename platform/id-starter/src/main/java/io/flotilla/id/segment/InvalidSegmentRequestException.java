package io.flotilla.id.segment;

/** A tag name, step or count out of bounds; nothing was changed or issued. */
public class InvalidSegmentRequestException extends IllegalArgumentException {

    /**
     * @param message what is wrong and what is allowed
     */
    public InvalidSegmentRequestException(String message) {
        super(message);
    }
}
