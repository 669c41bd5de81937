package io.flotilla.order.order;

/** PENDING while stock is being taken; CONFIRMED and CANCELLED are final. */
public enum OrderStatus {
    PENDING, CONFIRMED, CANCELLED
}
