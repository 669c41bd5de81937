package io.flotilla.order.order;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.List;

import io.flotilla.id.core.IdGenerator;
import io.flotilla.order.inventory.InventoryClient;
import io.flotilla.order.inventory.ProductCatalog;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.web.client.RestClientException;
import org.springframework.web.client.RestClientResponseException;

/**
 * Places orders exactly once per Idempotency-Key. Two guards: a distributed lock on the key (lock starter) makes a
 * second copy of a request, on any replica, wait for the first and answer with its order; the key's unique column
 * is the backstop should the lock ever be lost (a lease outliving a paused process), since the copy that loses the
 * insert also answers with the winner's order.
 */
@Service
public class OrderService {

    private final OrderRepository orders;
    private final IdempotencyLocks locks;
    private final OrderSettlement settlement;
    private final ProductCatalog catalog;
    private final IdGenerator ids;
    private final OrderProperties properties;
    private final Clock clock;

    OrderService(OrderRepository orders, IdempotencyLocks locks, OrderSettlement settlement, ProductCatalog catalog,
            IdGenerator ids, OrderProperties properties, Clock clock) {
        this.orders = orders;
        this.locks = locks;
        this.settlement = settlement;
        this.catalog = catalog;
        this.ids = ids;
        this.properties = properties;
        this.clock = clock;
    }

    /**
     * Places the order, or returns the order this key already placed. Throws {@link InvalidOrderException} for an
     * unknown sku (nothing recorded), {@link IdempotencyKeyReusedException} when the key belongs to another request,
     * and {@link OrderInProgressException} while the key's order is not settled yet.
     */
    public Placement place(String idempotencyKey, PlaceOrderRequest request) {
        return locks.whileHolding(idempotencyKey, () -> placeOnce(idempotencyKey, request));
    }

    private Placement placeOnce(String idempotencyKey, PlaceOrderRequest request) {
        var first = orders.findByIdempotencyKey(idempotencyKey);
        if (first.isPresent()) {
            return replay(first.get(), request);
        }
        InventoryClient.Product product = product(request.sku());
        Order pending = Order.pending(ids.next(), idempotencyKey, request, product.priceCents(),
                OffsetDateTime.now(clock));
        if (!orders.insert(pending)) {
            return replay(orders.findByIdempotencyKey(idempotencyKey).orElseThrow(), request);
        }
        return new Placement(settlement.settle(pending), false);
    }

    public Order get(long orderId) {
        return orders.findById(orderId).orElseThrow(() -> new OrderNotFoundException(orderId));
    }

    /** The user's most recent orders, newest first. */
    public List<Order> listByUser(String userId) {
        return orders.findByUser(userId, properties.maxListed());
    }

    private static Placement replay(Order first, PlaceOrderRequest request) {
        if (!first.placedBy(request)) {
            throw new IdempotencyKeyReusedException(first);
        }
        if (first.status() == OrderStatus.PENDING) {
            throw new OrderInProgressException(first);
        }
        return new Placement(first, true);
    }

    /**
     * The product as inventory-service described it at most {@code flotilla.order.catalog.time-to-live} ago;
     * {@link InvalidOrderException} for an unknown sku.
     */
    public InventoryClient.Product product(String sku) {
        try {
            return catalog.product(sku);
        }
        catch (RestClientResponseException answered) {
            if (answered.getStatusCode().isSameCodeAs(HttpStatus.NOT_FOUND)) {
                throw new InvalidOrderException("Unknown sku '" + sku + "'");
            }
            throw new InventoryUnavailableException(answered);
        }
        catch (RestClientException | IllegalStateException unreachable) {
            throw new InventoryUnavailableException(unreachable);
        }
    }
}
