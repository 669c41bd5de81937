package io.flotilla.registryservice.store;

/** Bad input: answered 400 and nothing is written. */
public class InvalidRequestException extends RuntimeException {

    public InvalidRequestException(String message) {
        super(message);
    }
}
