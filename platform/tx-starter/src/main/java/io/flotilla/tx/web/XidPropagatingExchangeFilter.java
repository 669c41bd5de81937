package io.flotilla.tx.web;

import io.flotilla.tx.api.TransactionMode;
import io.flotilla.tx.core.XidContext;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;
import org.springframework.web.reactive.function.client.ExchangeFunction;
import reactor.core.publisher.Mono;

/**
 * The {@link XidPropagatingInterceptor} of a {@code WebClient}: adds the current global transaction's xid (and
 * mode) to the request. The xid is a thread binding, so it is read on the thread that subscribes to the exchange
 * (the caller's thread with {@code block()}, as a global transaction's code is blocking); requests made outside a
 * global transaction are untouched.
 */
public final class XidPropagatingExchangeFilter implements ExchangeFilterFunction {

    @Override
    public Mono<ClientResponse> filter(ClientRequest request, ExchangeFunction next) {
        String xid = XidContext.currentXid();
        if (xid == null) {
            return next.exchange(request);
        }
        TransactionMode mode = XidContext.currentMode();
        return next.exchange(ClientRequest.from(request).headers(headers -> {
            headers.set(XidContext.XID_HEADER, xid);
            if (mode != null) {
                headers.set(XidContext.MODE_HEADER, mode.name());
            }
        }).build());
    }
}
