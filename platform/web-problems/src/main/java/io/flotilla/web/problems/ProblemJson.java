package io.flotilla.web.problems;

import org.springframework.http.HttpStatus;

/**
 * The one problem body this module writes where Spring's message converters are not at hand (Tomcat's valve, a
 * filter): {@code type}, {@code title}, {@code status}, {@code detail}, and never anything taken from the request.
 */
final class ProblemJson {

    static final String CONTENT_TYPE = "application/problem+json";

    private ProblemJson() {
    }

    static String of(int status, String detail) {
        return "{\"type\":\"about:blank\",\"title\":\"" + escape(title(status)) + "\",\"status\":" + status
                + ",\"detail\":\"" + escape(detail) + "\"}";
    }

    static String title(int status) {
        HttpStatus known = HttpStatus.resolve(status);
        return known != null ? known.getReasonPhrase() : "Error";
    }

    /** What a status means to a client, in words that name nothing of the server's insides. */
    static String detail(int status) {
        return switch (status) {
            case 400 -> "The request is not valid HTTP for this server: its path, query or headers hold characters or "
                    + "encodings it does not accept (for example %00, an encoded / or \\, or an over-long part).";
            case 404 -> "No resource at this path.";
            case 405 -> "This resource does not accept the request's method.";
            case 408 -> "The request was not received in time.";
            case 413 -> "The request body is larger than this server accepts.";
            case 414 -> "The request line is longer than this server accepts.";
            case 431 -> "The request headers are larger than this server accepts.";
            case 503 -> "The server cannot answer now; try again later.";
            default -> status >= 500 ? "The server failed to answer this request; the cause is in its log."
                    : "The request was refused.";
        };
    }

    private static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }
}
