package io.flotilla.txcoordinator.transaction;

import io.flotilla.tx.api.BeginRequest;
import io.flotilla.tx.api.BranchRequest;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.web.filter.ServerHttpObservationFilter;
import org.springframework.web.servlet.HandlerExceptionResolver;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;

/**
 * Serves the four calls every global transaction makes (begin, register a branch, commit, roll back) without Spring
 * MVC, which cost a third of the coordinator's CPU per transaction in the profile (handler lookup, argument
 * resolution, message-converter negotiation) for bodies of a few dozen bytes. Everything else, and any of these four
 * in a form this filter does not recognise (a query string such as {@code ?wait=}, an encoded path, another content
 * type), goes to the controller unchanged, before anything was done.
 *
 * <p>Same contract as {@link TransactionController}: the same service calls, the same JSON (the application's own
 * mapper), status and {@code Location}; every failure, malformed bodies included, is rendered by the same
 * {@code @RestControllerAdvice} through Spring's {@link HandlerExceptionResolver}, so problem details are identical.
 * It runs after the Raft kit's token and leader-forwarding filters, so authentication and forwarding still apply.
 */
public final class TransactionHotPathFilter extends HttpFilter {

    static final String BASE = "/v1/transactions";

    private final TransactionService transactions;
    private final JsonMapper json;
    private final HandlerExceptionResolver exceptionResolver;

    public TransactionHotPathFilter(TransactionService transactions, JsonMapper json,
                                    HandlerExceptionResolver exceptionResolver) {
        this.transactions = transactions;
        this.json = json;
        this.exceptionResolver = exceptionResolver;
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        Call call = recognise(request);
        if (call == null) {
            chain.doFilter(request, response);
            return;
        }
        ServerHttpObservationFilter.findObservationContext(request)
                .ifPresent(context -> context.setPathPattern(call.pattern()));
        try {
            switch (call.kind()) {
                case BEGIN -> {
                    var begun = transactions.begin(body(request, BeginRequest.class));
                    response.setHeader("Location", BASE + "/" + begun.xid());
                    write(response, HttpServletResponse.SC_CREATED, begun);
                }
                case BRANCH -> write(response, HttpServletResponse.SC_CREATED,
                        transactions.addBranch(call.xid(), body(request, BranchRequest.class)));
                case COMMIT -> write(response, HttpServletResponse.SC_OK, transactions.commit(call.xid(), null));
                case ROLLBACK -> write(response, HttpServletResponse.SC_OK, transactions.rollback(call.xid(), null));
            }
        } catch (Exception failure) {
            if (response.isCommitted() || exceptionResolver.resolveException(request, response, null, failure) == null) {
                throw failure instanceof ServletException servlet ? servlet : new ServletException(failure);
            }
        }
    }

    enum Kind { BEGIN, BRANCH, COMMIT, ROLLBACK }

    record Call(Kind kind, String xid, String pattern) {
    }

    /** The call this request is, or {@code null} when it is anything the controller should see as it is. */
    static Call recognise(HttpServletRequest request) {
        if (!"POST".equals(request.getMethod()) || request.getQueryString() != null) {
            return null;
        }
        String path = request.getRequestURI();
        if (!path.startsWith(BASE) || !request.getContextPath().isEmpty() || path.indexOf('%') >= 0
                || path.indexOf(';') >= 0 || !acceptsJson(request.getHeader("Accept"))) {
            return null;
        }
        if (path.length() == BASE.length()) {
            return jsonBody(request) ? new Call(Kind.BEGIN, null, BASE) : null;
        }
        if (path.charAt(BASE.length()) != '/') {
            return null;
        }
        int slash = path.indexOf('/', BASE.length() + 1);
        if (slash < 0 || slash == BASE.length() + 1 || path.indexOf('/', slash + 1) >= 0) {
            return null;
        }
        String xid = path.substring(BASE.length() + 1, slash);
        return switch (path.substring(slash + 1)) {
            case "commit" -> new Call(Kind.COMMIT, xid, BASE + "/{xid}/commit");
            case "rollback" -> new Call(Kind.ROLLBACK, xid, BASE + "/{xid}/rollback");
            case "branches" -> jsonBody(request) ? new Call(Kind.BRANCH, xid, BASE + "/{xid}/branches") : null;
            default -> null;
        };
    }

    /** Spring MVC answers 415 for a body of another type; leave those to it. */
    private static boolean jsonBody(HttpServletRequest request) {
        String type = request.getContentType();
        return type == null || type.regionMatches(true, 0, "application/json", 0, "application/json".length());
    }

    /** Spring MVC answers 406 to a client that accepts no JSON; leave those to it. */
    private static boolean acceptsJson(String accept) {
        return accept == null || accept.contains("*/*") || accept.contains("application/json");
    }

    /** Like {@code @RequestBody(required = false)}: an empty body is {@code null}, which the service refuses. */
    private <T> T body(HttpServletRequest request, Class<T> type) throws IOException {
        int length = request.getContentLength();
        // A body of known length is read into an array of its size, not through readAllBytes' 16 KB chunks.
        byte[] bytes = length >= 0 ? request.getInputStream().readNBytes(length)
                : request.getInputStream().readAllBytes();
        if (bytes.length == 0) {
            return null;
        }
        try {
            return json.readValue(bytes, type);
        } catch (JacksonException e) {
            throw new HttpMessageNotReadableException("JSON parse error: " + e.getOriginalMessage(), e,
                    new ServletServerHttpRequest(request));
        }
    }

    private void write(HttpServletResponse response, int status, Object body) throws IOException {
        byte[] bytes = json.writeValueAsBytes(body);
        response.setStatus(status);
        response.setContentType("application/json");
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }
}
