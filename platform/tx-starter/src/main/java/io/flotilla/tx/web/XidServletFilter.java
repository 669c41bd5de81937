package io.flotilla.tx.web;

import io.flotilla.tx.api.TransactionMode;
import io.flotilla.tx.core.XidContext;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;

/**
 * Binds the xid of an incoming request (header {@code X-Flotilla-Xid}) to the handling thread, so that
 * {@code @TccAction} and {@code @XaBranch} methods join the caller's global transaction and calls made from
 * here propagate it further.
 */
public final class XidServletFilter extends OncePerRequestFilter {

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String xid = request.getHeader(XidContext.XID_HEADER);
        if (xid == null || xid.isBlank()) {
            chain.doFilter(request, response);
            return;
        }
        try (XidContext.Scope ignored = XidContext.bind(xid.trim(), parseMode(request.getHeader(XidContext.MODE_HEADER)))) {
            chain.doFilter(request, response);
        }
    }

    private static TransactionMode parseMode(String header) {
        if (header == null) {
            return null;
        }
        try {
            return TransactionMode.valueOf(header.trim());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
