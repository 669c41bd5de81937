package io.flotilla.raft.server;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.server.PathContainer;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Writes a follower cannot handle itself because they use state only the leader holds (the registry's lease
 * deadlines: heartbeats and keep-alives move them in the leader's memory, with no log write). A service declares
 * them as a bean; the kit's {@link LeaderForwardingFilter} sends them, and linearizable reads, to the leader over
 * HTTP. Every other write a follower handles itself: its controller builds the command and {@link RaftServer#submit}
 * proposes it to the leader over the Raft transport.
 */
@FunctionalInterface
public interface LeaderLocalRequests {

    boolean matches(HttpServletRequest request);

    /** None: every write can be handled by any node. */
    static LeaderLocalRequests none() {
        return request -> false;
    }

    /**
     * Requests with {@code method} whose path matches one of {@code patterns} (Spring path patterns, e.g.
     * {@code /v1/leases/{id}/keepalive}).
     */
    static LeaderLocalRequests matching(String method, String... patterns) {
        Objects.requireNonNull(method, "method");
        List<PathPattern> parsed = Stream.of(patterns).map(PathPatternParser.defaultInstance::parse).toList();
        return request -> method.equals(request.getMethod()) && parsed.stream()
                .anyMatch(pattern -> pattern.matches(PathContainer.parsePath(request.getRequestURI())));
    }

    default LeaderLocalRequests or(LeaderLocalRequests other) {
        return request -> matches(request) || other.matches(request);
    }
}
