package io.flotilla.registry.client;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * Sends one request to the registry, moving across the configured nodes until one answers.
 *
 * <p>
 * A node that refuses the connection did not see the request, so any request moves on to the next node. A 503
 * (an election, a node that lost leadership) moves an idempotent request on too; a request that must not run twice
 * moves on only when the 503 says no leader took it (see {@link #certainlyNotApplied}). A request that was sent
 * but got no answer (reset, read timeout) may have been applied: it too is repeated elsewhere only when the caller
 * marked it idempotent. Otherwise the caller gets a {@link RegistryUnavailableException} saying the outcome is
 * unknown. A 307/308 redirect or an
 * {@code X-Flotilla-Leader} header on a 503 names the leader, which is tried next. When every node failed, the
 * client waits (the largest {@code Retry-After} seen, capped, else a growing back-off) and goes round again until
 * the fail-over timeout.
 */
final class FailoverTransport {

    static final String LEADER_HEADER = "X-Flotilla-Leader";

    private static final System.Logger LOGGER = System.getLogger(FailoverTransport.class.getName());

    private static final Duration MAX_PAUSE = Duration.ofSeconds(1);

    private final List<URI> addresses;

    private final HttpClient httpClient;

    private final String authorization;

    private final Duration requestTimeout;

    private final Duration failoverTimeout;

    /** Index of the node that answered last; requests start there so a healthy node keeps the traffic. */
    private volatile int preferred;

    FailoverTransport(List<URI> addresses, HttpClient httpClient, String token, Duration requestTimeout,
            Duration failoverTimeout) {
        if (addresses.isEmpty()) {
            throw new IllegalArgumentException("At least one registry address is needed");
        }
        this.addresses = List.copyOf(addresses.stream().map(FailoverTransport::withoutTrailingSlash).toList());
        this.httpClient = httpClient;
        this.authorization = token == null || token.isBlank() ? null : "Bearer " + token;
        this.requestTimeout = requestTimeout;
        this.failoverTimeout = failoverTimeout;
    }

    List<URI> addresses() {
        return this.addresses;
    }

    /**
     * @param method HTTP method
     * @param pathAndQuery path below the node's address, starting with {@code /v1/}
     * @param body request body, or {@code null}
     * @param contentType the body's type
     * @param idempotent whether repeating the request after an unanswered attempt is harmless
     * @param extraTimeout added to the request timeout (the wait of a blocking query)
     * @return the first answer that is not a 503 or a redirect
     */
    HttpResponse<byte[]> send(String method, String pathAndQuery, byte[] body, String contentType, boolean idempotent,
            Duration extraTimeout) {
        long deadline = System.nanoTime() + this.failoverTimeout.toNanos();
        Exception lastFailure = null;
        String lastAnswer = null;
        int round = 0;
        while (true) {
            Deque<URI> order = new ArrayDeque<>();
            int start = this.preferred;
            for (int i = 0; i < this.addresses.size(); i++) {
                order.add(this.addresses.get((start + i) % this.addresses.size()));
            }
            // Bounded, so that nodes pointing at each other cannot keep a request going round forever.
            int hintsLeft = this.addresses.size();
            Duration retryAfter = Duration.ZERO;
            while (!order.isEmpty()) {
                URI base = order.poll();
                HttpResponse<byte[]> response;
                try {
                    response = this.httpClient.send(request(base, method, pathAndQuery, body, contentType,
                            extraTimeout), HttpResponse.BodyHandlers.ofByteArray());
                }
                catch (ConnectException | HttpConnectTimeoutException ex) {
                    lastFailure = ex;
                    continue;
                }
                catch (InterruptedIOException | InterruptedException ex) {
                    Thread.currentThread().interrupt();
                    throw new RegistryUnavailableException("Interrupted while calling the registry at " + base,
                            true, ex);
                }
                catch (IOException ex) {
                    if (!idempotent) {
                        throw new RegistryUnavailableException(method + " " + pathAndQuery + " at " + base
                                + " got no answer (" + ex + "); it may or may not have been applied", true, ex);
                    }
                    lastFailure = ex;
                    continue;
                }
                int status = response.statusCode();
                URI hint;
                if (status == 307 || status == 308) {
                    hint = leaderHint(response.headers().firstValue("Location"));
                    lastAnswer = base + " redirected to " + hint;
                }
                else if (status == 503) {
                    if (!idempotent && !certainlyNotApplied(response)) {
                        throw new RegistryUnavailableException(method + " " + pathAndQuery + " at " + base
                                + " answered 503 after the request may have been accepted: "
                                + new String(response.body(), StandardCharsets.UTF_8), true, null);
                    }
                    retryAfter = max(retryAfter, retryAfter(response));
                    hint = leaderHint(response.headers().firstValue(LEADER_HEADER));
                    lastAnswer = base + " answered 503 " + new String(response.body(), StandardCharsets.UTF_8);
                }
                else {
                    preferIfConfigured(base);
                    return response;
                }
                if (hint != null && !hint.equals(base) && hintsLeft-- > 0) {
                    order.remove(hint);
                    order.addFirst(hint);
                }
            }
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                String detail = lastAnswer != null ? lastAnswer : String.valueOf(lastFailure);
                throw new RegistryUnavailableException("No registry node of " + this.addresses + " answered "
                        + method + " " + pathAndQuery + " within " + this.failoverTimeout + "; last: " + detail,
                        false, lastFailure);
            }
            Duration pause = retryAfter.isPositive() ? min(retryAfter, MAX_PAUSE)
                    : min(Duration.ofMillis(50L << Math.min(round, 4)), MAX_PAUSE);
            pause = min(pause, Duration.ofNanos(remaining));
            LOGGER.log(System.Logger.Level.DEBUG, "No registry node answered {0} {1}; retrying in {2}", method,
                    pathAndQuery, pause);
            sleep(pause);
            round++;
        }
    }

    private HttpRequest request(URI base, String method, String pathAndQuery, byte[] body, String contentType,
            Duration extraTimeout) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + pathAndQuery))
            .timeout(this.requestTimeout.plus(extraTimeout))
            .header("Accept", "application/json");
        if (this.authorization != null) {
            builder.header("Authorization", this.authorization);
        }
        if (body != null) {
            builder.header("Content-Type", contentType);
            builder.method(method, HttpRequest.BodyPublishers.ofByteArray(body));
        }
        else {
            builder.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return builder.build();
    }

    /** The origin (scheme, host, port) named by a leader hint, or {@code null} when there is none. */
    private static URI leaderHint(Optional<String> header) {
        if (header.isEmpty() || header.get().isBlank()) {
            return null;
        }
        try {
            URI uri = URI.create(header.get().trim());
            if (uri.getScheme() == null || uri.getHost() == null) {
                return null;
            }
            return URI.create(uri.getScheme() + "://" + uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : ""));
        }
        catch (IllegalArgumentException ex) {
            return null;
        }
    }

    /**
     * Whether a 503 says the request never reached a leader: no leader was known, or a forwarded request found its
     * target no longer leading. Other 503s (leadership lost mid-write, a write timing out, a forward that got no
     * answer) may follow an applied write. The registry says which only in the problem detail, so this matches
     * the two phrases the Raft server uses for the safe cases, and treats anything else as unknown.
     */
    private static boolean certainlyNotApplied(HttpResponse<byte[]> response) {
        String body = new String(response.body(), StandardCharsets.UTF_8);
        return body.contains("no Raft leader is known") || body.contains("is no longer the leader (forwarded by");
    }

    private void preferIfConfigured(URI base) {
        int index = this.addresses.indexOf(base);
        if (index >= 0) {
            this.preferred = index;
        }
    }

    private static Duration retryAfter(HttpResponse<?> response) {
        return response.headers().firstValue("Retry-After").map(value -> {
            try {
                return Duration.ofSeconds(Long.parseLong(value.trim()));
            }
            catch (NumberFormatException ex) {
                return Duration.ZERO;
            }
        }).orElse(Duration.ZERO);
    }

    private static URI withoutTrailingSlash(URI uri) {
        String text = uri.toString();
        return text.endsWith("/") ? URI.create(text.substring(0, text.length() - 1)) : uri;
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static void sleep(Duration pause) {
        try {
            Thread.sleep(pause);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new RegistryUnavailableException("Interrupted while waiting to retry the registry", false, ex);
        }
    }
}
