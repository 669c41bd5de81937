package io.flotilla.tx.web;

import io.flotilla.raft.client.FlotillaHeaders;
import io.flotilla.raft.client.RequestSignature;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Lets only phase-two calls signed by the coordinator through to the confirm/cancel/commit/rollback endpoints
 * (see {@link RequestSignature}); anything else is answered 401 (or 413 for a body no phase-two call has) with a
 * problem detail before the body is parsed, so nothing changes.
 *
 * <p>Replays: a call is accepted only within {@code maxAge} of its timestamp, and its nonce only once per
 * participant instance ({@link SeenNonces}). A replay to another instance of the same service within the window
 * passes that check, and is still harmless: the signature binds the branch and the action, and phase two is
 * idempotent per branch (the fence table and XA's own state answer a repeat with {@code duplicate} and run
 * nothing), so a replay can only ask again for what the coordinator already asked for.
 */
public final class PhaseTwoSignatureFilter extends OncePerRequestFilter {

    /** Phase-two bodies are {@code {"xid":…,"branchId":…}}: a few hundred bytes at most. */
    static final int MAX_BODY_BYTES = 4096;
    /** A message delivery carries its payload (the coordinator takes up to 64 Ki characters of it). */
    static final int MAX_MESSAGE_BODY_BYTES = 256 * 1024;
    /** A batch carries up to {@code BranchBatch.MAX_CALLS} calls, each a path, an xid and a branch id. */
    static final int MAX_BATCH_BODY_BYTES = 64 * 1024;

    private static final Logger log = LoggerFactory.getLogger(PhaseTwoSignatureFilter.class);
    private static final Pattern NONCE = Pattern.compile("[A-Za-z0-9_-]{16,64}");
    private static final Pattern TIMESTAMP = Pattern.compile("[0-9]{1,15}");

    private final List<String> keys;
    private final Duration maxAge;
    private final Clock clock;
    private final SeenNonces seenNonces;

    public PhaseTwoSignatureFilter(List<String> keys, Duration maxAge, Clock clock) {
        this.keys = keys.stream().map(String::strip).toList();
        this.maxAge = maxAge;
        this.clock = clock;
        this.seenNonces = new SeenNonces(clock, maxAge.multipliedBy(2));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String uri = request.getRequestURI();
        int maxBody = uri.endsWith("/receive") ? MAX_MESSAGE_BODY_BYTES
                : uri.endsWith("/phase-two/batch") ? MAX_BATCH_BODY_BYTES : MAX_BODY_BYTES;
        if (request.getContentLengthLong() > maxBody) {
            refuse(response, 413, "Content Too Large", "a phase-two body is at most " + maxBody + " bytes");
            return;
        }
        byte[] body = readAtMost(request.getInputStream(), request.getContentLengthLong(), maxBody);
        if (body == null) {
            refuse(response, 413, "Content Too Large", "a phase-two body is at most " + maxBody + " bytes");
            return;
        }
        String refusal = refusal(request, body);
        if (refusal != null) {
            log.warn("Refused a phase-two call {} {} from {}: {}", request.getMethod(), abbreviate(request.getRequestURI()),
                    request.getRemoteAddr(), refusal);
            response.setHeader("WWW-Authenticate", "Flotilla-HMAC-SHA256");
            refuse(response, 401, "Unauthorized", refusal);
            return;
        }
        chain.doFilter(new CachedBodyRequest(request, body), response);
    }

    /** Why the call is refused, or null when it is signed, fresh and new. */
    private String refusal(HttpServletRequest request, byte[] body) {
        String signature = request.getHeader(FlotillaHeaders.SIGNATURE);
        String timestamp = request.getHeader(FlotillaHeaders.SIGNATURE_TIMESTAMP);
        String nonce = request.getHeader(FlotillaHeaders.SIGNATURE_NONCE);
        if (signature == null || timestamp == null || nonce == null) {
            return "unsigned phase-two call: " + FlotillaHeaders.SIGNATURE + ", " + FlotillaHeaders.SIGNATURE_TIMESTAMP
                    + " and " + FlotillaHeaders.SIGNATURE_NONCE + " are required";
        }
        if (!TIMESTAMP.matcher(timestamp).matches() || !NONCE.matcher(nonce).matches() || signature.length() > 128) {
            return "malformed signature headers";
        }
        long signedAt = Long.parseLong(timestamp);
        if (Math.abs(clock.millis() - signedAt) > maxAge.toMillis()) {
            return "stale phase-two call: signed more than " + maxAge.toSeconds() + " s from this participant's clock";
        }
        if (!RequestSignature.matches(keys, signature, request.getMethod(), request.getRequestURI(), signedAt, nonce, body)) {
            return "the signature does not match any of this participant's keys";
        }
        if (!seenNonces.firstUse(nonce)) {
            return "replayed phase-two call: its nonce was already used";
        }
        return null;
    }

    /** A path as logged: an attacker chooses it, so it is kept short. */
    private static String abbreviate(String path) {
        return path.length() <= 200 ? path : path.substring(0, 200) + "…(" + path.length() + " characters)";
    }

    /**
     * The whole body, or null when it is longer than {@code limit}. A body of declared length (at most
     * {@code limit}, checked before) is read into an array of its size: {@code readNBytes(limit + 1)} allocated
     * {@code limit + 1} bytes, or a 16 KB chunk for a batch's limit, for every call of a hundred-odd bytes, over a
     * third of all a participant allocated in the TCC benchmark (JFR). The container ends the stream at the
     * declared length.
     */
    static byte[] readAtMost(InputStream in, long declaredLength, int limit) throws IOException {
        if (declaredLength >= 0 && declaredLength <= limit) {
            return in.readNBytes((int) declaredLength);
        }
        byte[] body = in.readNBytes(limit + 1);
        return body.length > limit ? null : body;
    }

    private static void refuse(HttpServletResponse response, int status, String title, String detail) throws IOException {
        response.setStatus(status);
        response.setContentType("application/problem+json");
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        // Titles and details are this class's own text: no quotes or backslashes to escape.
        response.getWriter().write("{\"type\":\"about:blank\",\"title\":\"" + title + "\",\"status\":" + status
                + ",\"detail\":\"" + detail + "\"}");
    }
}
