package io.flotilla.tx.tcc;

import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.lang.reflect.Method;
import java.lang.reflect.Type;

/**
 * Turns a try's arguments into the JSON kept in its fence row, and back into arguments for confirm and cancel,
 * so those can run in another process (after a restart) than the try did.
 */
public final class TccArgumentCodec {

    private final JsonMapper json;

    /** {@code json}, {@linkplain #readingDecimalsExactly reading decimals exactly}. */
    public TccArgumentCodec(JsonMapper json) {
        this.json = readingDecimalsExactly(json);
    }

    public TccArgumentCodec() {
        this(JsonMapper.builder().build());
    }

    /**
     * {@code json}, with decimals read as {@code BigDecimal}: the one rule for every TCC style's fence row (this
     * codec's arguments, flotilla-seata-compat's action context). A tree keeps a JSON number with a fraction as a
     * {@code double} by default, so a {@code BigDecimal} amount came back to confirm and cancel rounded to 17 digits
     * and without its scale ({@code 1.10} as {@code 1.1}); a {@code double} parameter still reads the same.
     */
    public static JsonMapper readingDecimalsExactly(JsonMapper json) {
        return json.rebuild().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();
    }

    /**
     * The arguments as a JSON array, written in one pass: each argument is written with its runtime type's
     * serializer, as {@code valueToTree} did when each was first turned into a tree node and then the tree
     * written, which had cost about as much again (JFR, the TCC benchmark's tries).
     */
    public String encode(Object[] arguments) {
        return json.writeValueAsString(arguments);
    }

    public Object[] decode(String payload, Method method) {
        Type[] types = method.getGenericParameterTypes();
        Object[] arguments = new Object[types.length];
        if (payload == null) {
            return arguments;
        }
        JsonNode array = json.readTree(payload);
        if (array.size() != types.length) {
            throw new IllegalStateException("recorded try arguments " + payload + " do not fit " + method);
        }
        for (int i = 0; i < types.length; i++) {
            arguments[i] = json.treeToValue(array.get(i), json.constructType(types[i]));
        }
        return arguments;
    }
}
