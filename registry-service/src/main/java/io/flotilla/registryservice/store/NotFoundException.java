package io.flotilla.registryservice.store;

/** The instance, key or lease does not exist; answered 404 (with the index, so a client can watch for it). */
public class NotFoundException extends RuntimeException {

    private final long index;

    public NotFoundException(String message, long index) {
        super(message);
        this.index = index;
    }

    public long index() {
        return index;
    }
}
