package io.flotilla.registryservice.console;

import io.flotilla.raft.server.RaftServerProperties;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.ResponseCookie;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;

/**
 * The registry's write token as the console carries it. A person signs in once with the token
 * ({@code flotilla.registry.server.token}); it is kept in an HttpOnly, SameSite=Strict cookie limited to
 * {@code /ui}, so scripts cannot read it and other sites cannot make a browser send it. Each console write passes
 * it on as {@code Authorization: Bearer} to the registry's own {@code /v1} write path, where the same filter that
 * judges every client judges it.
 */
class ConsoleToken {

    static final String COOKIE = "flotilla-console-token";

    private final RaftServerProperties raft;

    ConsoleToken(RaftServerProperties raft) {
        this.raft = raft;
    }

    /** Whether writes need a token at all. */
    boolean required() {
        return !raft.getToken().isEmpty();
    }

    /** The token the browser sent, or null. */
    String of(HttpServletRequest request) {
        Cookie[] cookies = request.getCookies();
        if (cookies == null) {
            return null;
        }
        return Arrays.stream(cookies).filter(c -> COOKIE.equals(c.getName())).map(Cookie::getValue).findFirst()
                .orElse(null);
    }

    /** Whether the browser's token is the registry's (constant time, as the write filter compares). */
    boolean signedIn(HttpServletRequest request) {
        return !required() || matches(of(request));
    }

    boolean matches(String candidate) {
        return candidate != null && MessageDigest.isEqual(raft.getToken().getBytes(StandardCharsets.UTF_8),
                candidate.getBytes(StandardCharsets.UTF_8));
    }

    ResponseCookie cookie(String token, boolean secure) {
        return ResponseCookie.from(COOKIE, token).httpOnly(true).secure(secure).sameSite("Strict").path("/ui")
                .maxAge(Duration.ofHours(12)).build();
    }

    ResponseCookie cleared(boolean secure) {
        return ResponseCookie.from(COOKIE, "").httpOnly(true).secure(secure).sameSite("Strict").path("/ui")
                .maxAge(Duration.ZERO).build();
    }
}
