package io.flotilla.order.order;

import io.flotilla.tx.api.GlobalStatus;
import java.time.Clock;
import java.time.OffsetDateTime;

import io.flotilla.tx.core.CoordinatorClient;
import io.flotilla.tx.core.CoordinatorException;
import io.flotilla.tx.core.UnknownTransactionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Settles orders left PENDING by a crash or a lost commit answer, so every order ends CONFIRMED or CANCELLED: it asks
 * the coordinator what became of the order's global transaction. Several replicas may run it at once; an order is
 * settled only while it is still PENDING.
 */
@Component
class PendingOrderRecovery {

    private static final Logger log = LoggerFactory.getLogger(PendingOrderRecovery.class);
    private static final int BATCH = 100;

    private final OrderRepository orders;
    private final OrderSettlement settlement;
    private final CoordinatorClient coordinator;
    private final OrderProperties properties;
    private final Clock clock;

    PendingOrderRecovery(OrderRepository orders, OrderSettlement settlement, CoordinatorClient coordinator,
            OrderProperties properties, Clock clock) {
        this.orders = orders;
        this.settlement = settlement;
        this.coordinator = coordinator;
        this.properties = properties;
        this.clock = clock;
    }

    @Scheduled(fixedDelayString = "${flotilla.order.recovery-interval:5s}",
            initialDelayString = "${flotilla.order.recovery-interval:5s}")
    void settleStaleOrders() {
        OffsetDateTime cutoff = OffsetDateTime.now(clock).minus(properties.pendingTimeout());
        for (Order stale : orders.findPendingBefore(cutoff, BATCH)) {
            try {
                settle(stale);
            }
            catch (CoordinatorException unreachable) {
                log.warn("Recovery paused: coordinator unreachable ({})", unreachable.toString());
                return;
            }
        }
    }

    private void settle(Order stale) {
        if (stale.xid() == null) {
            // Its transaction never reached a participant: the xid is stored before the first branch call.
            record(stale, OrderStatus.CANCELLED, "abandoned before its transaction began; cancelled by recovery");
            return;
        }
        GlobalStatus status;
        try {
            status = coordinator.status(stale.xid()).status();
        }
        catch (UnknownTransactionException forgotten) {
            // Presumed abort: the coordinator forgets a committed transaction only after every branch acknowledged,
            // long after this order's timeout.
            status = GlobalStatus.ROLLED_BACK;
        }
        if (status.isCommitDecided()) {
            record(stale, OrderStatus.CONFIRMED, null);
        }
        else if (status.isRollbackDecided()) {
            record(stale, OrderStatus.CANCELLED, "its transaction was rolled back; cancelled by recovery");
        }
    }

    private void record(Order stale, OrderStatus status, String reason) {
        Order settled = settlement.record(stale, status, reason);
        log.info("Recovered order {}: {}", settled.orderId(), settled.status());
    }
}
