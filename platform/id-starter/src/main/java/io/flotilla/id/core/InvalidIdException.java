package io.flotilla.id.core;

/** An id given for parsing cannot have been issued by this layout (negative, or stamped in the future). */
public class InvalidIdException extends IllegalArgumentException {

    /**
     * @param message what is wrong with the id
     */
    public InvalidIdException(String message) {
        super(message);
    }
}
