package io.flotilla.order.order;

import java.time.Clock;
import java.time.OffsetDateTime;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Settles orders left PENDING by a crash or an unreachable inventory-service, so every order ends CONFIRMED or
 * CANCELLED. Several replicas may run it at once: cancelling a reservation is idempotent and an order is settled
 * only while it is still PENDING.
 */
@Component
class PendingOrderRecovery {

    private static final Logger log = LoggerFactory.getLogger(PendingOrderRecovery.class);
    private static final int BATCH = 100;

    private final OrderRepository orders;
    private final OrderSettlement settlement;
    private final OrderProperties properties;
    private final Clock clock;

    PendingOrderRecovery(OrderRepository orders, OrderSettlement settlement, OrderProperties properties, Clock clock) {
        this.orders = orders;
        this.settlement = settlement;
        this.properties = properties;
        this.clock = clock;
    }

    @Scheduled(fixedDelayString = "${flotilla.order.recovery-interval:5s}",
            initialDelayString = "${flotilla.order.recovery-interval:5s}")
    void settleStaleOrders() {
        OffsetDateTime cutoff = OffsetDateTime.now(clock).minus(properties.pendingTimeout());
        for (Order stale : orders.findPendingBefore(cutoff, BATCH)) {
            try {
                Order settled = settlement.settleByCancel(stale,
                        "not settled within " + properties.pendingTimeout() + "; cancelled by recovery");
                log.info("Recovered order {}: {}", settled.orderId(), settled.status());
            }
            catch (OrderInProgressException stillUnreachable) {
                return;
            }
        }
    }
}
