package io.flotilla.raft.server;

import io.flotilla.raft.RaftStatus;
import io.flotilla.raft.client.ClusterUnavailableException;
import io.flotilla.raft.client.FlotillaHeaders;
import io.flotilla.raft.client.RaftProblemType;
import io.flotilla.raft.client.WriteOutcome;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import javax.net.ssl.SSLContext;

/**
 * Sends a request that only the leader can answer from a follower to the leader over HTTP and relays the answer,
 * status, headers and body unchanged. Those are linearizable reads and the service's {@link LeaderLocalRequests}
 * (writes that use state only the leader holds); any other write a follower handles itself and proposes to the
 * leader over the Raft transport ({@link RaftServer#submit}), which costs the cluster one HTTP handling instead of
 * two. With no leader known, or none
 * reachable, it answers 503 with {@code Retry-After}, a {@link RaftProblemType} and the write's
 * {@link WriteOutcome}: {@code not-applied} when nothing reached the leader. A node that stopped itself after a
 * fault answers every request with {@code node-stopped}. The request is sent once, over a pool of keep-alive
 * connections to the leader, in the request's own thread ({@link LeaderConnections}), with the outcome rules of the clients'
 * {@code FailoverTransport}: a refused connection is {@code not-applied}, a request sent and not answered
 * {@code unknown}; whether to repeat is the client's decision. A forwarded request carries
 * {@value #FORWARDED_HEADER}; a node that receives
 * one while it is not the leader answers 503 instead of forwarding again, so leadership moving mid-flight
 * cannot bounce a request around the cluster.
 *
 * <p>Whether a request needs the leader is the service's rule ({@link #leaderOnly}).
 */
public class LeaderForwardingFilter extends OncePerRequestFilter {

    public static final String FORWARDED_HEADER = FlotillaHeaders.FORWARDED_BY;

    private static final Logger log = LoggerFactory.getLogger(LeaderForwardingFilter.class);

    /** Hop-by-hop headers and those the HTTP client sets itself. */
    private static final Set<String> NOT_COPIED = Set.of("connection", "content-length", "host", "keep-alive",
            "transfer-encoding", "upgrade", "expect", "te", "trailer", "proxy-connection", "http2-settings");

    private final RaftServer server;
    private final Predicate<HttpServletRequest> needsLeader;
    private final LeaderConnections leader;
    private final Duration timeout;

    /**
     * @param timeout    how long a forwarded request may take; longer than the longest blocking-query wait
     * @param sslContext TLS of calls to an {@code https://} leader (the CAs it trusts, the key it presents); null
     *                   for the JDK's default
     */
    public LeaderForwardingFilter(RaftServer server, Predicate<HttpServletRequest> needsLeader, Duration timeout,
                                  SSLContext sslContext) {
        this.server = server;
        this.needsLeader = needsLeader;
        this.leader = new LeaderConnections(sslContext, Duration.ofSeconds(2));
        this.timeout = timeout;
    }

    /** Closes the connections to the leader when the servlet container takes the filter out of service. */
    @Override
    public void destroy() {
        leader.close();
    }

    /**
     * {@code leaderLocal} writes, and GETs under {@code pathPrefix} that ask for neither {@code consistency=stale}
     * nor {@code min-index}, except GETs of {@code localPaths}, which describe this node.
     */
    public static Predicate<HttpServletRequest> leaderOnly(String pathPrefix, LeaderLocalRequests leaderLocal,
                                                           String... localPaths) {
        Set<String> local = Set.of(localPaths);
        return request -> {
            String path = request.getRequestURI();
            if (!path.startsWith(pathPrefix)) {
                return false;
            }
            String method = request.getMethod();
            if (!"GET".equals(method) && !"HEAD".equals(method)) {
                return leaderLocal.matches(request);
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
        RaftStatus status = server.status();
        if (status.failed() || !status.running()) {
            ProblemResponses.writeUnavailable(response, new RaftUnavailableException(RaftProblemType.NODE_STOPPED,
                    WriteOutcome.NOT_APPLIED, status.failed()
                    ? "node " + server.nodeId() + " stopped itself after a fault and must be restarted; its data "
                    + "is safe on disk" : "node " + server.nodeId() + " is not running", null), server.retryAfter());
            return;
        }
        if (!needsLeader.test(request) || server.isLeader()) {
            chain.doFilter(request, response);
            return;
        }
        String forwardedBy = request.getHeader(FORWARDED_HEADER);
        if (forwardedBy != null) {
            writeUnavailable(response, RaftProblemType.NOT_LEADER, "node " + server.nodeId()
                    + " is no longer the leader (forwarded by " + forwardedBy + ")");
            return;
        }
        if (status.leaderId() == null) {
            writeUnavailable(response, RaftProblemType.NO_LEADER,
                    "no Raft leader is known right now (election in progress): retry later");
            return;
        }
        Optional<String> leader = server.leaderHttpUrl();
        if (leader.isEmpty()) {
            writeUnavailable(response, RaftProblemType.NOT_READY, "leader " + status.leaderId()
                    + " has not published its HTTP address yet: retry shortly");
            return;
        }
        forward(request, response, leader.get());
    }

    private void forward(HttpServletRequest request, HttpServletResponse response, String leaderUrl)
            throws IOException {
        String pathAndQuery = request.getRequestURI()
                + (request.getQueryString() == null ? "" : "?" + request.getQueryString());
        byte[] body = request.getInputStream().readAllBytes();
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.put("Accept", "application/json");
        for (String name : Collections.list(request.getHeaderNames())) {
            String lower = name.toLowerCase(Locale.ROOT);
            if (!NOT_COPIED.contains(lower) && !"content-type".equals(lower)) {
                headers.put(name, String.join(", ", Collections.list(request.getHeaders(name))));
            }
        }
        headers.put(FORWARDED_HEADER, server.nodeId());
        LeaderConnections.Answer answer;
        try {
            answer = leader.exchange(URI.create(leaderUrl), request.getMethod(), pathAndQuery, headers, body,
                    request.getContentType() != null ? request.getContentType() : "application/octet-stream",
                    timeout);
        } catch (ClusterUnavailableException e) {
            log.debug("Forwarding {} {} to {} failed: {}", request.getMethod(), request.getRequestURI(), leaderUrl,
                    e.toString());
            ProblemResponses.writeUnavailable(response, new RaftUnavailableException(
                    RaftProblemType.LEADER_UNREACHABLE, e.outcome(), e.outcome() == WriteOutcome.NOT_APPLIED
                    ? "the leader at " + leaderUrl + " refused the connection: retry"
                    : "the leader at " + leaderUrl + " did not answer: retry", e), server.retryAfter());
            return;
        }
        response.setStatus(answer.status());
        answer.headers().forEach(header -> {
            if (!NOT_COPIED.contains(header.getKey().toLowerCase(Locale.ROOT))) {
                response.addHeader(header.getKey(), header.getValue());
            }
        });
        response.setContentLength(answer.body().length);
        response.getOutputStream().write(answer.body());
    }

    /** A 503 for a request this node did not pass on: nothing was applied. */
    private void writeUnavailable(HttpServletResponse response, RaftProblemType type, String detail)
            throws IOException {
        ProblemResponses.writeUnavailable(response,
                new RaftUnavailableException(type, WriteOutcome.NOT_APPLIED, detail, null), server.retryAfter());
    }
}
