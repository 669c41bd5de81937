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
        // Every request of a service asks every rule: a path that cannot match is ruled out by its literal start,
        // without parsing it. Only for paths Spring MVC reads as they are: a percent-encoded or ';' path is parsed.
        List<String> literalStarts = Stream.of(patterns).map(LeaderLocalRequests::literalStart).toList();
        return request -> {
            if (!method.equals(request.getMethod())) {
                return false;
            }
            String path = request.getRequestURI();
            boolean plain = path.indexOf('%') < 0 && path.indexOf(';') < 0;
            for (int i = 0; i < parsed.size(); i++) {
                if ((!plain || path.startsWith(literalStarts.get(i)))
                        && parsed.get(i).matches(PathContainer.parsePath(path))) {
                    return true;
                }
            }
            return false;
        };
    }

    /** The pattern up to its first variable or wildcard. */
    private static String literalStart(String pattern) {
        int end = pattern.length();
        for (char special : new char[] {'{', '*', '?'}) {
            int at = pattern.indexOf(special);
            if (at >= 0 && at < end) {
                end = at;
            }
        }
        return pattern.substring(0, end);
    }

    default LeaderLocalRequests or(LeaderLocalRequests other) {
        return request -> matches(request) || other.matches(request);
    }
}
