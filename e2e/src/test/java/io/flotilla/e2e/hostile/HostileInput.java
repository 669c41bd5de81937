package io.flotilla.e2e.hostile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * Sends {@link HostileRequests} to services and judges every answer: no 5xx other than 503 with Retry-After,
 * every error an {@code application/problem+json} body, nothing in it that names the server's insides, and an
 * answer within the time limit. Keeps counts per service and status, and every violation.
 */
public final class HostileInput {

    /** A class or package name, a stack frame, a method signature or an HTML error page. */
    private static final Pattern INTERNALS = Pattern.compile(
            "(?:\\b(?:io\\.flotilla|java|javax|jakarta|org\\.springframework|org\\.apache|com\\.fasterxml|tools\\.jackson)\\.[a-z])"
                    + "|(?:\\b[A-Z][A-Za-z]*(?:Exception|Error)\\b)|(?:\\bat [\\w.$]+\\()|(?:\\b(?:public|private|protected) [\\w.<>]+ [\\w.$]+\\()"
                    + "|(?i:<html)");
    private static final int ANSWER_TIMEOUT_MILLIS = 30_000;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, Map<Integer, AtomicInteger>> statusCounts = new TreeMap<>();
    private final List<String> violations = new ArrayList<>();
    private final List<String> acceptedWrites = new ArrayList<>();
    private int total;

    /**
     * Attacks every operation of the service's OpenAPI document ({@code /v3/api-docs}).
     *
     * @param credentials headers sent with every request (a bearer token), so that input is judged past the
     *                    authentication check
     */
    public void attack(String service, String baseUrl, Map<String, String> credentials) throws Exception {
        URI base = URI.create(baseUrl);
        RawHttp.Answer document = RawHttp.send(base.getPort(), "GET", "/v3/api-docs", Map.of("Accept", "application/json"),
                null, ANSWER_TIMEOUT_MILLIS);
        if (document.status() != 200) {
            violations.add(service + ": GET /v3/api-docs answered " + document.status());
            return;
        }
        List<HostileRequests.Request> requests = HostileRequests.of(JSON.readTree(document.body()));
        if (requests.isEmpty()) {
            violations.add(service + ": its OpenAPI document lists no operation");
            return;
        }
        Map<Integer, AtomicInteger> counts = new ConcurrentHashMap<>();
        List<String> found = java.util.Collections.synchronizedList(new ArrayList<>());
        List<String> accepted = java.util.Collections.synchronizedList(new ArrayList<>());
        // A few at a time: enough to keep the run short, few enough not to look like a load test.
        try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
            List<Future<?>> sent = new ArrayList<>();
            for (HostileRequests.Request request : requests) {
                sent.add(pool.submit(() -> {
                    RawHttp.Answer answer = send(base.getPort(), request, credentials);
                    counts.computeIfAbsent(answer.status(), unused -> new AtomicInteger()).incrementAndGet();
                    if (!request.method().equals("GET") && answer.status() / 100 == 2) {
                        accepted.add(service + ": " + request.method() + " " + abbreviate(request.target()) + " ("
                                + request.what() + ") → " + answer.status());
                    }
                    String problem = judge(answer);
                    if (problem != null) {
                        found.add(service + ": " + request.method() + " " + abbreviate(request.target()) + " ("
                                + request.what() + ") → " + answer.status() + " " + problem + ": "
                                + abbreviate(answer.body()));
                    }
                    return null;
                }));
            }
            for (Future<?> future : sent) {
                future.get();
            }
        }
        synchronized (this) {
            statusCounts.put(service, new TreeMap<>(counts));
            violations.addAll(found);
            acceptedWrites.addAll(accepted);
            total += requests.size();
        }
    }

    private static RawHttp.Answer send(int port, HostileRequests.Request request, Map<String, String> credentials)
            throws IOException {
        Map<String, String> headers = new java.util.LinkedHashMap<>(credentials);
        headers.put("Accept", "application/json, application/problem+json");
        if (request.contentType() != null) {
            headers.put("Content-Type", request.contentType());
        }
        byte[] body = request.body() == null && !request.method().equals("GET") ? new byte[0] : request.body();
        return RawHttp.send(port, request.method(), request.target(), headers, body, ANSWER_TIMEOUT_MILLIS);
    }

    /** What is wrong with the answer, or null. */
    static String judge(RawHttp.Answer answer) {
        int status = answer.status();
        if (status == 0) {
            return "no answer";
        }
        if (status >= 500 && !(status == 503 && answer.header("Retry-After") != null)) {
            return "server error";
        }
        if (status >= 400) {
            String type = answer.header("Content-Type");
            if (type == null || !type.startsWith("application/problem+json")) {
                return "error without a problem detail (Content-Type " + type + ")";
            }
        }
        if (INTERNALS.matcher(answer.body()).find()) {
            return "internal names in the answer";
        }
        return null;
    }

    public int total() {
        return total;
    }

    public List<String> violations() {
        return List.copyOf(violations);
    }

    /** One line per service: requests by status. */
    public String counts() {
        StringBuilder out = new StringBuilder();
        statusCounts.forEach((service, counts) -> {
            int sum = counts.values().stream().mapToInt(AtomicInteger::get).sum();
            out.append(String.format("  %-16s %5d requests:", service, sum));
            counts.forEach((status, count) -> out.append(' ').append(status).append('×').append(count.get()));
            out.append('\n');
        });
        out.append(String.format("  %-16s %5d requests, %d violations", "total", total, violations.size()));
        // Not a violation by itself (the state comparison decides), but worth a look: a write that succeeded.
        acceptedWrites.forEach(write -> out.append("\n  accepted write: ").append(write));
        return out.toString();
    }

    private static String abbreviate(String text) {
        String oneLine = text.replaceAll("\\s+", " ");
        return oneLine.length() > 160 ? oneLine.substring(0, 160) + "…" : oneLine;
    }
}
