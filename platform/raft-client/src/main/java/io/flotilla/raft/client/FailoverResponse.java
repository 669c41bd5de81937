package io.flotilla.raft.client;

import java.net.URI;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The answer of the node that answered: any status but a Raft problem (a 503 the transport moved past).
 *
 * @param node address of the node that answered
 * @param status HTTP status
 * @param headers response headers
 * @param body response body, empty when there was none
 */
public record FailoverResponse(URI node, int status, HttpHeaders headers, byte[] body) {

    /** The first value of a header, if present. */
    public Optional<String> header(String name) {
        return headers.firstValue(name);
    }

    /** The body decoded as UTF-8. */
    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
