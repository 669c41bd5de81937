package io.flotilla.order.order;

import io.flotilla.order.points.LoyaltyMessages;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import java.time.OffsetDateTime;

/**
 * Settles a PENDING order in one local transaction with what a confirmation sends: the {@code order-confirmed}
 * message to the loyalty-points ledger joins it, so the points follow the confirmed orders exactly.
 */
@Component
class OrderOutcomes {

    private final OrderRepository orders;
    private final LoyaltyMessages loyalty;

    OrderOutcomes(OrderRepository orders, LoyaltyMessages loyalty) {
        this.orders = orders;
        this.loyalty = loyalty;
    }

    /** Settles the order unless someone settled it first; returns whether this call did. */
    @Transactional
    public boolean settle(Order pending, OrderStatus status, String reason, OffsetDateTime at) {
        boolean settled = orders.settle(pending.orderId(), status, reason, at);
        if (settled && status == OrderStatus.CONFIRMED) {
            loyalty.orderConfirmed(pending.orderId(), pending.userId(), pending.totalCents());
        }
        return settled;
    }
}
