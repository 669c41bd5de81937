package io.flotilla.raft.server;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.http.HttpHeaders;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collections;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Sends a request that only the leader can answer (a write, a linearizable read) from a follower to the
 * leader over HTTP and relays the answer, status, headers and body unchanged. With no leader known it answers
 * 503 with {@code Retry-After}. A forwarded request carries {@value #FORWARDED_HEADER}; a node that receives
 * one while it is not the leader answers 503 instead of forwarding again, so leadership moving mid-flight
 * cannot bounce a request around the cluster.
 *
 * <p>Whether a request needs the leader is the service's rule ({@link #writesAndLinearizableReads}).
 */
public class LeaderForwardingFilter extends OncePerRequestFilter {

    public static final String FORWARDED_HEADER = "X-Flotilla-Forwarded-By";

    private static final Logger log = LoggerFactory.getLogger(LeaderForwardingFilter.class);

    /** Hop-by-hop headers and those the HTTP client sets itself. */
    private static final Set<String> NOT_COPIED = Set.of("connection", "content-length", "host", "keep-alive",
            "transfer-encoding", "upgrade", "expect", "te", "trailer", "proxy-connection", "http2-settings");

    private final RaftServer server;
    private final Predicate<HttpServletRequest> needsLeader;
    private final Duration timeout;
    private final HttpClient client;

    /**
     * @param timeout how long a forwarded request may take; longer than the longest blocking-query wait
     */
    public LeaderForwardingFilter(RaftServer server, Predicate<HttpServletRequest> needsLeader, Duration timeout) {
        this.server = server;
        this.needsLeader = needsLeader;
        this.timeout = timeout;
        this.client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2))
                .version(HttpClient.Version.HTTP_1_1).build();
    }

    /**
     * Requests under {@code pathPrefix} that change something (any method but GET and HEAD), and GETs there that
     * ask for neither {@code consistency=stale} nor {@code min-index}; except GETs of {@code localPaths}, which
     * describe this node.
     */
    public static Predicate<HttpServletRequest> writesAndLinearizableReads(String pathPrefix, String... localPaths) {
        Set<String> local = Set.of(localPaths);
        return request -> {
            String path = request.getRequestURI();
            if (!path.startsWith(pathPrefix)) {
                return false;
            }
            String method = request.getMethod();
            if (!"GET".equals(method) && !"HEAD".equals(method)) {
                return true;
            }
            if (local.contains(path)) {
                return false;
            }
            String consistency = request.getParameter("consistency");
            boolean stale = consistency != null && "stale".equals(consistency.trim().toLowerCase(Locale.ROOT));
            return !stale && request.getParameter("min-index") == null;
        };
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (!needsLeader.test(request) || server.isLeader()) {
            chain.doFilter(request, response);
            return;
        }
        String forwardedBy = request.getHeader(FORWARDED_HEADER);
        Optional<String> leader = server.leaderHttpUrl();
        if (forwardedBy != null || leader.isEmpty()) {
            writeUnavailable(response, forwardedBy != null
                    ? "node " + server.nodeId() + " is no longer the leader (forwarded by " + forwardedBy + ")"
                    : "no Raft leader is known right now (election in progress): retry later");
            return;
        }
        forward(request, response, leader.get());
    }

    private void forward(HttpServletRequest request, HttpServletResponse response, String leaderUrl)
            throws IOException {
        String target = leaderUrl + request.getRequestURI()
                + (request.getQueryString() == null ? "" : "?" + request.getQueryString());
        byte[] body = request.getInputStream().readAllBytes();
        HttpRequest.Builder forwarded = HttpRequest.newBuilder(URI.create(target)).timeout(timeout)
                .method(request.getMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body))
                .header(FORWARDED_HEADER, server.nodeId());
        for (String name : Collections.list(request.getHeaderNames())) {
            if (!NOT_COPIED.contains(name.toLowerCase(Locale.ROOT))) {
                for (String value : Collections.list(request.getHeaders(name))) {
                    forwarded.header(name, value);
                }
            }
        }
        HttpResponse<byte[]> answer;
        try {
            answer = client.send(forwarded.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            log.debug("Forwarding {} {} to {} failed: {}", request.getMethod(), request.getRequestURI(), leaderUrl,
                    e.toString());
            writeUnavailable(response, "the leader at " + leaderUrl + " did not answer (" + e.getClass().getSimpleName()
                    + "); a write may or may not have been applied: retry");
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            writeUnavailable(response, "interrupted while forwarding to the leader");
            return;
        }
        response.setStatus(answer.statusCode());
        answer.headers().map().forEach((name, values) -> {
            if (!NOT_COPIED.contains(name.toLowerCase(Locale.ROOT)) && !name.startsWith(":")) {
                values.forEach(value -> response.addHeader(name, value));
            }
        });
        response.setContentLength(answer.body().length);
        response.getOutputStream().write(answer.body());
    }

    private void writeUnavailable(HttpServletResponse response, String detail) throws IOException {
        response.setStatus(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
        response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(RaftProblems.retryAfterSeconds(server.retryAfter())));
        response.setContentType("application/problem+json");
        byte[] json = ("{\"type\":\"about:blank\",\"title\":\"No leader\",\"status\":503,\"detail\":\""
                + jsonEscape(detail) + "\"}").getBytes(StandardCharsets.UTF_8);
        response.setContentLength(json.length);
        response.getOutputStream().write(json);
    }

    static String jsonEscape(String text) {
        StringBuilder escaped = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> escaped.append("\\\"");
                case '\\' -> escaped.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        escaped.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        escaped.append(c);
                    }
                }
            }
        }
        return escaped.toString();
    }
}
