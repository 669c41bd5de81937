package io.flotilla.tx.xa;

/**
 * The database cannot run this participant's XA branches, found at start-up instead of at the first global
 * transaction: {@link #setting()} names what to change, {@link #action()} says how.
 */
public class XaUnavailableException extends IllegalStateException {

    private final String setting;
    private final String action;

    public XaUnavailableException(String message, String setting, String action, Throwable cause) {
        super(message, cause);
        this.setting = setting;
        this.action = action;
    }

    /** The database setting or privilege that is missing. */
    public String setting() {
        return setting;
    }

    /** What to change, in a sentence. */
    public String action() {
        return action;
    }
}
