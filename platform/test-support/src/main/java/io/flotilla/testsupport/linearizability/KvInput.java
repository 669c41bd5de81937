package io.flotilla.testsupport.linearizability;

import java.util.Objects;

/**
 * Operations on a string key-value store, as understood by {@link KvModel}. Outputs: a {@link Get} returns
 * the value or {@code null} when the key is missing, a {@link Put} returns {@link KvModel.Ack#OK}, a
 * {@link Cas} returns {@code Boolean.TRUE} when it swapped.
 */
public sealed interface KvInput {

    String key();

    record Put(String key, String value) implements KvInput {
        public Put {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(value, "value");
        }
    }

    record Get(String key) implements KvInput {
        public Get {
            Objects.requireNonNull(key, "key");
        }
    }

    /** Sets {@code newValue} if the key currently holds {@code expected}; {@code expected == null} means "is missing". */
    record Cas(String key, String expected, String newValue) implements KvInput {
        public Cas {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(newValue, "newValue");
        }
    }
}
