package io.flotilla.e2e.hostile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The hostile requests for every operation of one OpenAPI document. Each request is built to be refused, so that
 * the service's state must be unchanged afterwards: a bad path segment, a broken, empty, wrongly typed or huge
 * body, or a query parameter that cannot be its declared type. Where a parameter is a free string (any value is
 * valid), hostile values are sent only on reads; a body that is opaque bytes (a KV value) is attacked only with
 * size and paths.
 */
final class HostileRequests {

    /** Placeholder for path parameters that are not under attack: a valid name that names nothing. */
    static final String PROBE = "hostile-probe";

    /** Segments no layer accepts: Tomcat refuses the first ones, every name and key is shorter than the last. */
    private static final List<String> REFUSED_SEGMENTS = List.of("%00", "%ZZ", "%C0%AF", "x".repeat(5_000));
    /** Segments that may reach a handler as a strange but valid name: sent only where nothing can be written. */
    private static final List<String> STRANGE_SEGMENTS = List.of("a%2Fb", "a%5Cb", "..%2F..%2Fetc",
            "%0d%0aX-Injected:%20yes", "%3Cscript%3E");
    private static final List<String> BAD_NUMBERS = List.of("abc", "99999999999999999999", "1e400", "-");
    private static final List<String> BAD_STRINGS = List.of("%00", "%ZZ", "x".repeat(5_000), "'%20OR%201=1--",
            "%3Cscript%3E", "%C0%AF");
    private static final Pattern PATH_VARIABLE = Pattern.compile("\\{([^}]+)}");

    record Request(String method, String target, String contentType, byte[] body, String what) {
    }

    private HostileRequests() {
    }

    static List<Request> of(JsonNode openApi) {
        List<Request> requests = new ArrayList<>();
        JsonNode schemas = openApi.path("components").path("schemas");
        for (Iterator<Map.Entry<String, JsonNode>> paths = openApi.path("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            for (Iterator<Map.Entry<String, JsonNode>> operations = path.getValue().fields(); operations.hasNext(); ) {
                Map.Entry<String, JsonNode> operation = operations.next();
                String method = operation.getKey().toUpperCase();
                if (!List.of("GET", "POST", "PUT", "DELETE", "PATCH").contains(method)) {
                    continue;
                }
                requests.addAll(forOperation(method, path.getKey(), operation.getValue(), schemas));
            }
        }
        return requests;
    }

    private static List<Request> forOperation(String method, String template, JsonNode operation, JsonNode schemas) {
        List<Request> requests = new ArrayList<>();
        boolean read = method.equals("GET");
        JsonNode bodySpec = operation.path("requestBody");
        boolean hasBody = !bodySpec.isMissingNode();
        JsonNode bodySchema = hasBody ? resolve(firstContentSchema(bodySpec), schemas) : null;
        boolean jsonObjectBody = bodySchema != null && (bodySchema.has("properties") || "object".equals(bodySchema.path("type").asText()));
        // With a JSON object body, every non-body attack also carries a broken body, so nothing can apply even
        // if the attacked part were accepted.
        byte[] companionBody = jsonObjectBody ? bytes("{") : null;
        String companionType = jsonObjectBody ? "application/json" : null;

        List<String> pathVariables = new ArrayList<>();
        Matcher matcher = PATH_VARIABLE.matcher(template);
        while (matcher.find()) {
            pathVariables.add(matcher.group(1));
        }
        List<String> segments = new ArrayList<>(REFUSED_SEGMENTS);
        if (read || jsonObjectBody) {
            segments.addAll(STRANGE_SEGMENTS);
        }
        for (String variable : pathVariables) {
            for (String segment : segments) {
                requests.add(new Request(method, fill(template, variable, segment), companionType, companionBody,
                        "path {" + variable + "}=" + abbreviate(segment)));
            }
        }

        for (JsonNode parameter : operation.path("parameters")) {
            if (!"query".equals(parameter.path("in").asText())) {
                continue;
            }
            String name = parameter.path("name").asText();
            String type = resolve(parameter.path("schema"), schemas).path("type").asText("string");
            List<String> values = switch (type) {
                case "integer", "number", "boolean" -> BAD_NUMBERS;
                default -> read ? BAD_STRINGS : List.of();
            };
            for (String value : values) {
                requests.add(new Request(method, fill(template, null, null) + "?" + name + "=" + value, companionType,
                        companionBody, "query " + name + "=" + abbreviate(value)));
            }
        }

        if (hasBody) {
            String target = fill(template, null, null);
            requests.add(new Request(method, target, "application/json",
                    bytes("{\"pad\":\"" + "x".repeat(2 * 1024 * 1024) + "\"}"), "body of 2 MiB"));
            if (jsonObjectBody) {
                Map<String, byte[]> bodies = new LinkedHashMap<>();
                if (bodySpec.path("required").asBoolean(false)) {
                    bodies.put("empty body", new byte[0]);
                }
                bodies.put("broken JSON", bytes("{\"a\":"));
                bodies.put("JSON array", bytes("[]"));
                bodies.put("JSON null", bytes("null"));
                bodies.put("JSON string", bytes("\"text\""));
                bodies.put("overflowing number", bytes("123456789012345678901234567890"));
                bodies.put("nested 5000 deep", bytes("[".repeat(5_000) + "]".repeat(5_000)));
                bodies.put("invalid UTF-8", new byte[] {'{', '"', (byte) 0xC3, (byte) 0x28, '"', ':', '1', '}'});
                bodies.put("wrongly typed fields", bytes(wronglyTyped(bodySchema, schemas).toString()));
                bodies.forEach((what, body) -> requests.add(new Request(method, target, "application/json", body, what)));
                requests.add(new Request(method, target, "text/plain", bytes("not json"), "text/plain body"));
            }
        }
        return requests;
    }

    /** Every declared field with a value of another type: strings get objects, numbers and booleans text. */
    private static ObjectNode wronglyTyped(JsonNode schema, JsonNode schemas) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        for (Iterator<Map.Entry<String, JsonNode>> fields = schema.path("properties").fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            String type = resolve(field.getValue(), schemas).path("type").asText("object");
            switch (type) {
                case "integer", "number" -> body.put(field.getKey(), "99999999999999999999x");
                case "boolean" -> body.put(field.getKey(), "maybe");
                case "string" -> body.putObject(field.getKey()).put("not", "a string");
                case "array" -> body.put(field.getKey(), 42);
                default -> body.put(field.getKey(), "not an object");
            }
        }
        if (body.isEmpty()) {
            body.put("unexpected", "field");
        }
        return body;
    }

    private static JsonNode firstContentSchema(JsonNode bodySpec) {
        Iterator<JsonNode> contents = bodySpec.path("content").elements();
        return contents.hasNext() ? contents.next().path("schema") : JsonNodeFactory.instance.objectNode();
    }

    private static JsonNode resolve(JsonNode schema, JsonNode schemas) {
        String ref = schema.path("$ref").asText("");
        return ref.startsWith("#/components/schemas/") ? schemas.path(ref.substring("#/components/schemas/".length())) : schema;
    }

    /** The template with {@code variable} set to {@code value} and every other variable to {@link #PROBE}. */
    private static String fill(String template, String variable, String value) {
        Matcher matcher = PATH_VARIABLE.matcher(template);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String replacement = matcher.group(1).equals(variable) ? value : PROBE;
            matcher.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    private static String abbreviate(String text) {
        return text.length() > 24 ? text.substring(0, 12) + "…(" + text.length() + ")" : text;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
