package io.flotilla.raft.client;

import java.nio.charset.StandardCharsets;

import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Binds a service's answer into its API records strictly: a missing field, a field the contract does not have, a
 * {@code null} or a string where a number belongs, or an enum constant it does not know fails with a
 * {@link ContractViolationException} naming the field, instead of a default value that hides the drift. Clients
 * and servers are released together (one BOM), so an unknown field means the two sides disagree.
 */
public final class ContractJson {

    private static final JsonMapper STRICT = JsonMapper.builder()
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
        .build();

    private ContractJson() {
    }

    /** The strict mapper; also writes request bodies, so both directions use one configuration. */
    public static JsonMapper mapper() {
        return STRICT;
    }

    /**
     * @param body the answer's body
     * @param type the contract's record
     * @param what what the answer was to, for the message: {@code "the coordinator's answer to begin"}
     */
    public static <T> T read(byte[] body, Class<T> type, String what) {
        try {
            return STRICT.readValue(body, type);
        }
        catch (JacksonException ex) {
            throw violation(body, what, ex);
        }
    }

    /** As {@link #read(byte[], Class, String)}, for generic types such as {@code List<InstanceView>}. */
    public static <T> T read(byte[] body, TypeReference<T> type, String what) {
        try {
            return STRICT.readValue(body, type);
        }
        catch (JacksonException ex) {
            throw violation(body, what, ex);
        }
    }

    /** Serializes a request body. */
    public static byte[] write(Object value) {
        return STRICT.writeValueAsBytes(value);
    }

    private static ContractViolationException violation(byte[] body, String what, JacksonException ex) {
        String field = path(ex);
        String text = body == null ? "" : new String(body, StandardCharsets.UTF_8);
        if (text.length() > 300) {
            text = text.substring(0, 300) + "…";
        }
        return new ContractViolationException(what + " does not match the contract"
                + (field.isEmpty() ? "" : " at field '" + field + "'") + ": " + ex.getOriginalMessage()
                + " (answer: " + text + ")", field, ex);
    }

    private static String path(JacksonException ex) {
        StringBuilder path = new StringBuilder();
        for (JacksonException.Reference reference : ex.getPath()) {
            if (reference.getPropertyName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(reference.getPropertyName());
            }
            else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.toString();
    }
}
