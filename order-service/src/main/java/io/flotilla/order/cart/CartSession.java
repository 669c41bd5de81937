package io.flotilla.order.cart;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;

/**
 * Reads and writes the cart of a request's HTTP session. Reading never creates a session: only a change to the cart
 * does, so that reads and refused requests leave nothing behind in the session store.
 */
final class CartSession {

    static final String ATTRIBUTE = "flotilla.cart";

    private CartSession() {
    }

    static Cart current(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        Object cart = session == null ? null : session.getAttribute(ATTRIBUTE);
        return cart instanceof Cart existing ? existing : Cart.empty();
    }

    static void save(HttpServletRequest request, Cart cart) {
        request.getSession(true).setAttribute(ATTRIBUTE, cart);
    }
}
