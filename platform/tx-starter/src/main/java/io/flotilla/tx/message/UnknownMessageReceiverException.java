package io.flotilla.tx.message;

/** A delivery names a receiver this application does not have. */
public class UnknownMessageReceiverException extends RuntimeException {

    public UnknownMessageReceiverException(String name) {
        super("no @MessageReceiver named '" + name + "' here");
    }
}
