package io.flotilla.lock.config;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** {@code flotilla.lock.backend} names no backend. */
public class UnknownLockBackendException extends IllegalStateException {

    private final String value;

    public UnknownLockBackendException(String value) {
        super("flotilla.lock.backend=" + value + " is not a lock backend; valid backends: " + String.join(", ", validBackends()));
        this.value = value;
    }

    public String value() {
        return value;
    }

    /** The property values of every {@link LockProperties.Backend}, in declaration order. */
    public static List<String> validBackends() {
        return Arrays.stream(LockProperties.Backend.values())
            .map(backend -> backend.name().toLowerCase(Locale.ROOT).replace('_', '-'))
            .toList();
    }
}
