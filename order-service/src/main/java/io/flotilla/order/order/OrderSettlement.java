package io.flotilla.order.order;

import java.time.Clock;
import java.time.OffsetDateTime;

import io.flotilla.order.inventory.InventoryClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClientException;
import org.springframework.web.client.RestClientResponseException;

/**
 * Takes a PENDING order's stock in inventory-service and records the outcome. inventory-service's reservation row,
 * keyed by the order id, is the single source of truth: when a call's outcome is unknown (timeout, crash, 5xx) the
 * order is settled by cancelling that reservation, which either returns the stock (the order is CANCELLED) or is
 * refused because the stock was already taken (the order is CONFIRMED). A cancel also fences out a try still in
 * flight, so an unsettled order can never take stock later.
 */
@Component
class OrderSettlement {

    private static final Logger log = LoggerFactory.getLogger(OrderSettlement.class);

    private final InventoryClient inventory;
    private final OrderRepository orders;
    private final Clock clock;

    OrderSettlement(InventoryClient inventory, OrderRepository orders, Clock clock) {
        this.inventory = inventory;
        this.orders = orders;
        this.clock = clock;
    }

    /** Takes the stock by the order's mode; returns the settled order, or throws if its outcome is still open. */
    Order settle(Order pending) {
        InventoryClient.StockRequest stock = new InventoryClient.StockRequest(pending.sku(), pending.quantity());
        try {
            switch (pending.mode()) {
                case TCC -> {
                    inventory.reserve(pending.reservationId(), stock);
                    inventory.confirm(pending.reservationId());
                }
                case XA -> inventory.deduct(pending.reservationId(), stock);
            }
            return record(pending, OrderStatus.CONFIRMED, null);
        }
        catch (RestClientResponseException answered) {
            if (answered.getStatusCode().isSameCodeAs(HttpStatus.CONFLICT)) {
                return settleByCancel(pending, reasonOf(answered));
            }
            return outcomeUnknown(pending, answered);
        }
        catch (RestClientException | IllegalStateException failed) {
            // IllegalStateException: the load balancer found no inventory-service instance.
            return outcomeUnknown(pending, failed);
        }
    }

    private Order outcomeUnknown(Order pending, RuntimeException failure) {
        log.warn("Order {}: taking stock failed ({}); settling by cancel", pending.orderId(), failure.toString());
        return settleByCancel(pending, "inventory-service failed while taking the stock");
    }

    /**
     * Cancels the order's reservation and records the result: CANCELLED with {@code reason}, or CONFIRMED when
     * inventory-service says the stock was already taken. Throws {@link OrderInProgressException} when
     * inventory-service cannot be reached; the order then stays PENDING for the recovery.
     */
    Order settleByCancel(Order pending, String reason) {
        try {
            inventory.cancel(pending.reservationId());
            return record(pending, OrderStatus.CANCELLED, reason);
        }
        catch (RestClientResponseException answered) {
            if (answered.getStatusCode().isSameCodeAs(HttpStatus.CONFLICT)) {
                return record(pending, OrderStatus.CONFIRMED, null);
            }
            throw leftPending(pending, answered);
        }
        catch (RestClientException | IllegalStateException unreachable) {
            throw leftPending(pending, unreachable);
        }
    }

    private static OrderInProgressException leftPending(Order pending, RuntimeException failure) {
        log.warn("Order {}: cancel failed ({}); left PENDING for recovery", pending.orderId(), failure.toString());
        return new OrderInProgressException(pending);
    }

    /** Writes the outcome unless someone settled the order first; either way returns what is stored. */
    private Order record(Order pending, OrderStatus status, String reason) {
        orders.settle(pending.orderId(), status, reason, OffsetDateTime.now(clock));
        return orders.findById(pending.orderId()).orElseThrow();
    }

    private static String reasonOf(RestClientResponseException refused) {
        ProblemDetail problem = refused.getResponseBodyAs(ProblemDetail.class);
        String detail = problem == null ? null : problem.getDetail();
        return detail == null ? "inventory-service refused the reservation" : detail;
    }
}
