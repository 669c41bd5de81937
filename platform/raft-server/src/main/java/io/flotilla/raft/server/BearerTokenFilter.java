package io.flotilla.raft.server;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * With a token configured ({@code <prefix>.token}), every write (any method but GET and HEAD) must carry
 * {@code Authorization: Bearer <token>}; otherwise 401 problem details and nothing is done. Reads stay open.
 * Checked on the node the client called, before any forwarding, and again on the leader (the header travels).
 */
public class BearerTokenFilter extends OncePerRequestFilter {

    private final byte[] token;
    private final String realm;
    private final String tokenProperty;

    /**
     * @param realm         names the service in {@code WWW-Authenticate}
     * @param tokenProperty the property that sets the token, named in the 401's detail
     */
    public BearerTokenFilter(String token, String realm, String tokenProperty) {
        this.token = token == null ? new byte[0] : token.getBytes(StandardCharsets.UTF_8);
        this.realm = realm;
        this.tokenProperty = tokenProperty;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String method = request.getMethod();
        if (token.length == 0 || "GET".equals(method) || "HEAD".equals(method) || authorized(request)) {
            chain.doFilter(request, response);
            return;
        }
        response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"" + realm + "\"");
        ProblemResponses.write(response, HttpServletResponse.SC_UNAUTHORIZED, "Unauthorized",
                "writes need Authorization: Bearer <" + tokenProperty + ">");
    }

    private boolean authorized(HttpServletRequest request) {
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        // Constant time, so the comparison does not leak how much of a guess was right.
        return MessageDigest.isEqual(token, header.substring(7).trim().getBytes(StandardCharsets.UTF_8));
    }
}
