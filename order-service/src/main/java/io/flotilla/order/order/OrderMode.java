package io.flotilla.order.order;

/** How the stock is taken: TCC (freeze, then confirm or cancel) or XA (one step inside a 2PC branch). */
public enum OrderMode {
    TCC, XA
}
