package io.flotilla.e2e.security;

import io.flotilla.raft.client.FlotillaHeaders;
import io.flotilla.raft.client.RequestSignature;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Phase-two calls made the way a forger would: unsigned, signed with a key of its own, or a signed call captured
 * and sent again. Each is a POST of {@code {"xid", "branchId"}} to a participant's confirm, cancel, commit or
 * rollback URL, the body the coordinator sends.
 */
public final class PhaseTwoCalls {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** A call ready to send: URL, body and, when signed, its headers. */
    public record Call(URI url, byte[] body, String timestamp, String nonce, String signature) {

        public HttpResponse<String> send() throws IOException, InterruptedException {
            HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
            if (signature != null) {
                request.header(FlotillaHeaders.SIGNATURE_TIMESTAMP, timestamp)
                    .header(FlotillaHeaders.SIGNATURE_NONCE, nonce)
                    .header(FlotillaHeaders.SIGNATURE, signature);
            }
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        }
    }

    private PhaseTwoCalls() {
    }

    public static Call unsigned(String url, String xid, long branchId) {
        return new Call(URI.create(url), body(xid, branchId), null, null, null);
    }

    /** Signed now with {@code key}: the stack's own key makes the call a genuine one (to be captured). */
    public static Call signed(String key, String url, String xid, long branchId) {
        URI uri = URI.create(url);
        byte[] body = body(xid, branchId);
        long now = System.currentTimeMillis();
        String nonce = RequestSignature.newNonce();
        return new Call(uri, body, Long.toString(now), nonce,
                RequestSignature.sign(key, "POST", uri.getRawPath(), now, nonce, body));
    }

    private static byte[] body(String xid, long branchId) {
        return ("{\"xid\":\"" + xid + "\",\"branchId\":" + branchId + "}").getBytes(StandardCharsets.UTF_8);
    }
}
