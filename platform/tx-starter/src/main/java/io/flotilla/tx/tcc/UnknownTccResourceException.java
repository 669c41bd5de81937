package io.flotilla.tx.tcc;

/** The coordinator called a confirm or cancel endpoint for a resource no {@link TccAction} declares. */
public class UnknownTccResourceException extends RuntimeException {

    public UnknownTccResourceException(String resource) {
        super("no @TccAction named '" + resource + "' in this application");
    }
}
