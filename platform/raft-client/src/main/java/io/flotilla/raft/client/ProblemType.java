package io.flotilla.raft.client;

import java.net.URI;
import java.util.Arrays;
import java.util.Optional;

/**
 * A problem {@code type} of the Flotilla services: {@code urn:flotilla:problem:<slug>}. Implemented by the enums of
 * types ({@link RaftProblemType}, the registry's and the coordinator's), so the URI form is written once.
 */
public interface ProblemType {

    /** The part after {@code urn:flotilla:problem:}, for example {@code no-leader} or {@code tx:transaction-conflict}. */
    String slug();

    /** The problem's {@code type} member. */
    default URI uri() {
        return URI.create("urn:flotilla:problem:" + slug());
    }

    /** The constant of {@code types} whose {@link #uri()} is {@code type}, if there is one. */
    static <T extends Enum<T> & ProblemType> Optional<T> fromUri(Class<T> types, String type) {
        return Arrays.stream(types.getEnumConstants()).filter(problem -> problem.uri().toString().equals(type))
                .findFirst();
    }
}
