package io.flotilla.raft.client;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One request for {@link FailoverTransport#send}.
 *
 * @param method HTTP method
 * @param pathAndQuery path below a node's address, starting with {@code /}, query included
 * @param body request body, or {@code null}
 * @param contentType the body's media type; ignored without a body
 * @param repeat whether the request may run again on another node after an attempt with an unknown effect
 * @param extraTimeout added to the transport's request timeout (the wait of a blocking query)
 * @param headers headers of this request only, on top of the transport's own (a forwarded request's)
 */
public record FailoverRequest(String method, String pathAndQuery, byte[] body, String contentType, Repeat repeat,
        Duration extraTimeout, Map<String, String> headers) {

    public FailoverRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(pathAndQuery, "pathAndQuery");
        Objects.requireNonNull(repeat, "repeat");
        if (!pathAndQuery.startsWith("/")) {
            throw new IllegalArgumentException("pathAndQuery must start with '/', got '" + pathAndQuery + "'");
        }
        extraTimeout = extraTimeout == null ? Duration.ZERO : extraTimeout;
        headers = headers == null ? Map.of() : Map.copyOf(headers);
    }

    public FailoverRequest(String method, String pathAndQuery, byte[] body, String contentType, Repeat repeat,
            Duration extraTimeout) {
        this(method, pathAndQuery, body, contentType, repeat, extraTimeout, Map.of());
    }

    /** A request without a body. */
    public static FailoverRequest of(String method, String pathAndQuery, Repeat repeat) {
        return new FailoverRequest(method, pathAndQuery, null, null, repeat, Duration.ZERO);
    }

    /** A request with a JSON body. */
    public static FailoverRequest json(String method, String pathAndQuery, byte[] body, Repeat repeat) {
        return new FailoverRequest(method, pathAndQuery, body, "application/json", repeat, Duration.ZERO);
    }

    /** A request that may wait at the server (a blocking query) for up to {@code extra} on top of the timeout. */
    public FailoverRequest withExtraTimeout(Duration extra) {
        return new FailoverRequest(method, pathAndQuery, body, contentType, repeat, extra, headers);
    }

    /** The same request with one more header (a later value for the same name replaces the earlier one). */
    public FailoverRequest withHeader(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
        return new FailoverRequest(method, pathAndQuery, body, contentType, repeat, extraTimeout, more);
    }

    @Override
    public String toString() {
        return method + " " + pathAndQuery;
    }
}
