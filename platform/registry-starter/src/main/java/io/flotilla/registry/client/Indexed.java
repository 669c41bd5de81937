package io.flotilla.registry.client;

/**
 * A read answer together with the registry's {@code X-Flotilla-Index}: the Raft index the answer reflects. Pass
 * the index back in {@link QueryOptions#blockingAfter} to wait for the next change.
 *
 * @param value the answer
 * @param index the index it reflects; 0 when the registry sent none
 * @param <T> the answer's type
 */
public record Indexed<T>(T value, long index) {
}
