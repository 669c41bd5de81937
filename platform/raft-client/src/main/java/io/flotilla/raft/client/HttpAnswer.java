package io.flotilla.raft.client;

import java.net.http.HttpHeaders;

/**
 * A whole HTTP answer read by {@link KeepAliveHttpClient}.
 *
 * @param status HTTP status
 * @param headers response headers (names compared ignoring case)
 * @param body response body, empty when there was none
 * @param keepAlive whether the connection may carry another exchange
 */
public record HttpAnswer(int status, HttpHeaders headers, byte[] body, boolean keepAlive) {
}
