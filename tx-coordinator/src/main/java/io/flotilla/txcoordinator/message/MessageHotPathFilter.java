package io.flotilla.txcoordinator.message;

import io.flotilla.tx.api.BeginResponse;
import io.flotilla.tx.api.MessagePrepareRequest;
import io.flotilla.txcoordinator.transaction.TransactionService;
import io.flotilla.web.hotpath.HotPathFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.servlet.HandlerExceptionResolver;
import tools.jackson.databind.json.JsonMapper;

/**
 * Prepares a two-phase message ({@code POST /v1/messages}, every transactional message's first call) without Spring
 * MVC, as {@code TransactionHotPathFilter} serves the calls of every transaction; submit and abort are that filter's
 * commit and rollback. Only the plain shape a producer sends (no query string, a JSON body or none, an
 * {@code Accept} that takes JSON, no context path) is served here; anything else goes to {@link MessageController}.
 */
public final class MessageHotPathFilter extends HotPathFilter<MessageHotPathFilter.Prepare> {

    static final String PATH = "/v1/messages";

    /** The one call this filter serves. */
    enum Prepare implements HotPathFilter.Call {
        MESSAGE;

        @Override
        public String pattern() {
            return PATH;
        }
    }

    private final TransactionService transactions;

    public MessageHotPathFilter(TransactionService transactions, JsonMapper json,
                                HandlerExceptionResolver exceptionResolver) {
        super(json, exceptionResolver);
        this.transactions = transactions;
    }

    @Override
    protected Prepare recognise(HttpServletRequest request) {
        boolean plain = "POST".equals(request.getMethod()) && request.getQueryString() == null
                && PATH.equals(request.getRequestURI()) && request.getContextPath().isEmpty() && acceptsJson(request)
                && contentTypeIs(request, "application/json");
        return plain ? Prepare.MESSAGE : null;
    }

    @Override
    protected void serve(Prepare call, HttpServletRequest request, HttpServletResponse response) throws Exception {
        BeginResponse prepared = transactions.prepareMessage(jsonBody(request, MessagePrepareRequest.class));
        response.setHeader("Location", "/v1/transactions/" + prepared.xid());
        writeJson(response, HttpServletResponse.SC_CREATED, prepared);
    }
}
