package io.flotilla.tx.seata.tcc;

import io.flotilla.tx.tcc.TccArgumentCodec;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.lang.reflect.Type;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A try's action context as the fence row keeps it: a JSON object. Read back, each value gets the type the try
 * declared for it (its parameter's, or its field's), so commit and rollback see a {@code long} amount as a
 * {@code Long} and a record as that record, as the try had them; values of keys the try did not declare (a context
 * the caller passed in filled) come back as JSON's own types.
 */
final class ActionContextCodec {

    private final JsonMapper json;

    /**
     * {@code json}, with decimals read as the tx starter reads a try's arguments
     * ({@link TccArgumentCodec#readingDecimalsExactly}): a {@code BigDecimal} amount comes back exact and with its
     * scale, and an undeclared decimal is a {@code BigDecimal}, as Seata's own context gives it.
     */
    ActionContextCodec(JsonMapper json) {
        this.json = TccArgumentCodec.readingDecimalsExactly(json);
    }

    JsonMapper json() {
        return json;
    }

    String encode(Map<String, Object> context) {
        ObjectNode object = json.createObjectNode();
        context.forEach((key, value) -> object.set(key, json.valueToTree(value)));
        return json.writeValueAsString(object);
    }

    Map<String, Object> decode(String record, Map<String, Type> declaredTypes) {
        Map<String, Object> context = new LinkedHashMap<>();
        if (record == null) {
            return context;
        }
        JsonNode object = json.readTree(record);
        for (Map.Entry<String, JsonNode> field : object.properties()) {
            Type type = declaredTypes.getOrDefault(field.getKey(), Object.class);
            context.put(field.getKey(), json.treeToValue(field.getValue(), json.constructType(type)));
        }
        return context;
    }
}
