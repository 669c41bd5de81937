package io.flotilla.txcoordinator.transaction;

import io.flotilla.web.hotpath.HotPathFilter;
import io.flotilla.tx.api.BeginRequest;
import io.flotilla.tx.api.BranchRequest;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.servlet.HandlerExceptionResolver;
import tools.jackson.databind.json.JsonMapper;

/**
 * Serves the four calls every global transaction makes (begin, register a branch, commit, roll back) without Spring
 * MVC, which cost a third of the coordinator's CPU per transaction in the profile (handler lookup, argument
 * resolution, message-converter negotiation) for bodies of a few dozen bytes. Everything else, and any of these four
 * in a form this filter does not recognise (a query string such as {@code ?wait=}, an encoded path, another content
 * type), goes to the controller unchanged, before anything was done.
 *
 * <p>Same contract as {@link TransactionController}: the same service calls, JSON, status and {@code Location}; the
 * kit's {@link HotPathFilter} renders failures through the same {@code @RestControllerAdvice}.
 */
public final class TransactionHotPathFilter extends HotPathFilter<TransactionHotPathFilter.Call> {

    static final String BASE = "/v1/transactions";

    private final TransactionService transactions;

    public TransactionHotPathFilter(TransactionService transactions, JsonMapper json,
                                    HandlerExceptionResolver exceptionResolver) {
        super(json, exceptionResolver);
        this.transactions = transactions;
    }

    @Override
    protected void serve(Call call, HttpServletRequest request, HttpServletResponse response) throws Exception {
        switch (call.kind()) {
            case BEGIN -> {
                var begun = transactions.begin(jsonBody(request, BeginRequest.class));
                response.setHeader("Location", BASE + "/" + begun.xid());
                writeJson(response, HttpServletResponse.SC_CREATED, begun);
            }
            case BRANCH -> writeJson(response, HttpServletResponse.SC_CREATED,
                    transactions.addBranch(call.xid(), jsonBody(request, BranchRequest.class)));
            case COMMIT -> writeJson(response, HttpServletResponse.SC_OK, transactions.commit(call.xid(), null));
            case ROLLBACK -> writeJson(response, HttpServletResponse.SC_OK, transactions.rollback(call.xid(), null));
        }
    }

    enum Kind { BEGIN, BRANCH, COMMIT, ROLLBACK }

    record Call(Kind kind, String xid, String pattern) implements HotPathFilter.Call {
    }

    @Override
    protected Call recognise(HttpServletRequest request) {
        if (!"POST".equals(request.getMethod()) || request.getQueryString() != null) {
            return null;
        }
        String path = request.getRequestURI();
        if (!path.startsWith(BASE) || !request.getContextPath().isEmpty() || path.indexOf('%') >= 0
                || path.indexOf(';') >= 0 || !acceptsJson(request)) {
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

    private static boolean jsonBody(HttpServletRequest request) {
        return contentTypeIs(request, "application/json");
    }
}
