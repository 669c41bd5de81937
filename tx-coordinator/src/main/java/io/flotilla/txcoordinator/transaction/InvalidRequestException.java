package io.flotilla.txcoordinator.transaction;

/** Bad input: answered 400, nothing written. */
public class InvalidRequestException extends RuntimeException {

    public InvalidRequestException(String message) {
        super(message);
    }
}
