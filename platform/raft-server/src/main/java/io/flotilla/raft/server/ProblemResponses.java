package io.flotilla.raft.server;

import io.flotilla.raft.client.RaftProblemType;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;

/**
 * Writes problem details from servlet filters, which answer before Spring MVC and its message converters: the same
 * members a controller advice would write ({@code type}, {@code title}, {@code status}, {@code detail}, and for a
 * cluster failure {@code outcome}).
 */
final class ProblemResponses {

    private ProblemResponses() {
    }

    /** A 503 for {@code unavailable} with {@code Retry-After}. */
    static void writeUnavailable(HttpServletResponse response, RaftUnavailableException unavailable,
                                 Duration retryAfter) throws IOException {
        response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(RaftProblems.retryAfterSeconds(retryAfter)));
        write(response, HttpServletResponse.SC_SERVICE_UNAVAILABLE, unavailable.type().uri().toString(),
                RaftProblems.title(unavailable.type()), RaftProblems.detail(unavailable),
                ",\"" + RaftProblemType.OUTCOME_PROPERTY + "\":\"" + unavailable.outcome().wireName() + "\"");
    }

    /** A problem with {@code type} {@code about:blank}. */
    static void write(HttpServletResponse response, int status, String title, String detail) throws IOException {
        write(response, status, "about:blank", title, detail, "");
    }

    private static void write(HttpServletResponse response, int status, String type, String title, String detail,
                              String extraMembers) throws IOException {
        byte[] json = ("{\"type\":\"" + jsonEscape(type) + "\",\"title\":\"" + jsonEscape(title) + "\",\"status\":"
                + status + ",\"detail\":\"" + jsonEscape(detail) + "\"" + extraMembers + "}")
                .getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.setContentType("application/problem+json");
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
