package io.flotilla.tx.seata.web;

import io.flotilla.tx.api.TransactionMode;
import io.flotilla.tx.core.XidContext;
import io.flotilla.tx.seata.initiator.SeataRootContext;
import io.seata.core.context.RootContext;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;

/**
 * The participant's side of Seata's HTTP propagation: a request carrying Seata's {@code TX_XID} header
 * ({@link RootContext#KEY_XID}, what Seata's and Spring Cloud Alibaba's client interceptors send) joins that global
 * transaction, as one carrying {@code X-Flotilla-Xid} does; and while the request runs, {@code RootContext.getXID()}
 * answers the bound xid. Runs after the starter's own filter, which wins when both headers came.
 */
public final class SeataXidServletFilter extends OncePerRequestFilter {

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String seataXid = request.getHeader(RootContext.KEY_XID);
        if (XidContext.currentXid() == null && seataXid != null && !seataXid.isBlank()) {
            try (XidContext.Scope ignored = XidContext.bind(seataXid.trim(), TransactionMode.TCC)) {
                withRootContext(request, response, chain);
            }
            return;
        }
        withRootContext(request, response, chain);
    }

    private static void withRootContext(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        try (XidContext.Scope ignored = SeataRootContext.bind(XidContext.currentXid())) {
            chain.doFilter(request, response);
        }
    }
}
