package io.flotilla.registry.api;

import java.util.Objects;

/** Answer to {@code PUT /v1/kv/{key}}: the key written and its new {@code modIndex}. */
public record KvWriteResponse(String key, long modIndex) {

    public KvWriteResponse {
        Objects.requireNonNull(key, "key");
    }
}
