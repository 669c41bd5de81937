package io.flotilla.order.points;

/** The {@code order-confirmed} message: the loyalty-points ledger books {@code totalCents} points for the user. */
public record OrderConfirmed(long orderId, String userId, long totalCents) {
}
