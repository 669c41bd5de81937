package io.flotilla.tx.xa;

/** The database refused an XA step of a branch. */
public class XaBranchException extends RuntimeException {

    public XaBranchException(String message, Throwable cause) {
        super(message, cause);
    }
}
