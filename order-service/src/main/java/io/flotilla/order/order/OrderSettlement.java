package io.flotilla.order.order;

import io.flotilla.tx.api.TransactionMode;
import java.time.Clock;
import java.time.OffsetDateTime;

import io.flotilla.order.inventory.InventoryClient;
import io.flotilla.tx.core.GlobalTransactionTemplate;
import io.flotilla.tx.core.TransactionOutcomeUnknownException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClientResponseException;

/**
 * Takes a PENDING order's stock in one global transaction (TCC or XA, as the order asks) and records the outcome.
 * The coordinator owns the decision: the order is CONFIRMED once the transaction committed, CANCELLED once it rolled
 * back, and stays PENDING for {@link PendingOrderRecovery} when the commit's answer was lost.
 */
@Component
class OrderSettlement {

    private static final Logger log = LoggerFactory.getLogger(OrderSettlement.class);

    private final GlobalTransactionTemplate transactions;
    private final InventoryClient inventory;
    private final OrderRepository orders;
    private final OrderProperties properties;
    private final Clock clock;
    private final OrderOutcomes outcomes;

    OrderSettlement(GlobalTransactionTemplate transactions, InventoryClient inventory, OrderRepository orders,
            OrderProperties properties, Clock clock, OrderOutcomes outcomes) {
        this.outcomes = outcomes;
        this.transactions = transactions;
        this.inventory = inventory;
        this.orders = orders;
        this.properties = properties;
        this.clock = clock;
    }

    /** Takes the stock; returns the settled order, or throws {@link OrderInProgressException} if still open. */
    Order settle(Order pending) {
        InventoryClient.StockRequest stock = new InventoryClient.StockRequest(pending.sku(), pending.quantity());
        try {
            transactions.execute(TransactionMode.valueOf(pending.mode().name()), properties.transactionTimeout(),
                    "place-order", transaction -> {
                        // The xid is stored before any branch exists, so a crash after this point leaves the
                        // recovery something to ask the coordinator about; if the recovery settled the order first,
                        // this transaction must not take stock.
                        if (!orders.recordXid(pending.orderId(), transaction.xid())) {
                            throw new IllegalStateException("order " + pending.orderId() + " was settled meanwhile");
                        }
                        switch (pending.mode()) {
                            case TCC -> inventory.reserve(stock);
                            case XA -> inventory.deduct(stock);
                        }
                        return null;
                    });
        }
        catch (TransactionOutcomeUnknownException unknown) {
            log.warn("Order {}: commit outcome unknown ({}); left PENDING for recovery", pending.orderId(),
                    unknown.toString());
            throw new OrderInProgressException(pending);
        }
        catch (RestClientResponseException refused) {
            return record(pending, OrderStatus.CANCELLED, reasonOf(refused));
        }
        catch (RuntimeException failed) {
            // Anything thrown before the commit rolled the transaction back (or it never began; or its timeout
            // rolls it back): the stock is not taken.
            log.warn("Order {}: cancelled after {}", pending.orderId(), failed.toString());
            return record(pending, OrderStatus.CANCELLED, "the stock could not be taken: " + failed.getMessage());
        }
        // Outside the try: the stock is taken, so a failure to record the confirmation (with its order-confirmed
        // message) leaves the order PENDING for the recovery, never CANCELLED.
        try {
            return record(pending, OrderStatus.CONFIRMED, null);
        }
        catch (RuntimeException notRecorded) {
            log.warn("Order {}: committed but not recorded yet ({}); left PENDING for recovery", pending.orderId(),
                    notRecorded.toString());
            throw new OrderInProgressException(pending);
        }
    }

    /** Writes the outcome unless someone settled the order first; either way returns what is stored. */
    Order record(Order pending, OrderStatus status, String reason) {
        outcomes.settle(pending, status, reason, OffsetDateTime.now(clock));
        return orders.findById(pending.orderId()).orElseThrow();
    }

    private static String reasonOf(RestClientResponseException refused) {
        ProblemDetail problem = refused.getResponseBodyAs(ProblemDetail.class);
        if (problem != null && problem.getDetail() != null) {
            return problem.getDetail();
        }
        return refused.getStatusCode().isSameCodeAs(HttpStatus.CONFLICT) ? "inventory-service refused the stock"
                : "inventory-service answered " + refused.getStatusCode().value();
    }
}
