package io.flotilla.registryservice.kv;

/** The key written (for a sequential create, the key made) and its new {@code modIndex}. */
public record KvWriteResponse(String key, long modIndex) {
}
