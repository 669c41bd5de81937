package io.flotilla.order.order;

import java.time.OffsetDateTime;

/**
 * One order.
 *
 * @param orderId snowflake id, also the reservation id in inventory-service
 * @param idempotencyKey the client's Idempotency-Key, unique
 * @param userId who ordered
 * @param sku what
 * @param quantity how many units
 * @param mode how the stock is taken
 * @param status where the order stands
 * @param totalCents price of the order when it was placed
 * @param reason why it was cancelled; null otherwise
 * @param xid the global transaction taking the stock; null until it has begun
 * @param createdAt when it was placed
 * @param updatedAt when its status last changed
 */
public record Order(long orderId, String idempotencyKey, String userId, String sku, int quantity, OrderMode mode,
        OrderStatus status, long totalCents, String reason, String xid, OffsetDateTime createdAt,
        OffsetDateTime updatedAt) {

    static Order pending(long orderId, String idempotencyKey, PlaceOrderRequest request, long unitPriceCents,
            OffsetDateTime now) {
        return new Order(orderId, idempotencyKey, request.userId(), request.sku(), request.quantity(), request.mode(),
                OrderStatus.PENDING, unitPriceCents * request.quantity(), null, null, now, now);
    }

    /** Whether {@code request} is the request that created this order (same key, same content). */
    boolean placedBy(PlaceOrderRequest request) {
        return userId.equals(request.userId()) && sku.equals(request.sku()) && quantity == request.quantity()
                && mode == request.mode();
    }
}
