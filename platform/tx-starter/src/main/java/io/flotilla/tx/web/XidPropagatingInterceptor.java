package io.flotilla.tx.web;

import io.flotilla.tx.api.TransactionMode;
import io.flotilla.tx.core.XidContext;
import org.springframework.http.HttpRequest;
import org.springframework.http.client.ClientHttpRequestExecution;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.http.client.ClientHttpResponse;

import java.io.IOException;

/**
 * Adds the current global transaction's xid (and mode) to outgoing requests of a {@code RestClient}, and so to
 * every {@code @HttpExchange} client built on one. Requests made outside a global transaction are untouched.
 */
public final class XidPropagatingInterceptor implements ClientHttpRequestInterceptor {

    @Override
    public ClientHttpResponse intercept(HttpRequest request, byte[] body, ClientHttpRequestExecution execution)
            throws IOException {
        String xid = XidContext.currentXid();
        if (xid != null) {
            request.getHeaders().set(XidContext.XID_HEADER, xid);
            TransactionMode mode = XidContext.currentMode();
            if (mode != null) {
                request.getHeaders().set(XidContext.MODE_HEADER, mode.name());
            }
        }
        return execution.execute(request, body);
    }
}
