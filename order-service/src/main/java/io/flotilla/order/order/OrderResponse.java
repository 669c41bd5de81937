package io.flotilla.order.order;

import java.time.OffsetDateTime;

/**
 * An order as the API shows it.
 *
 * @param orderId the order's id as a decimal string (JavaScript numbers lose precision above 2^53)
 * @param status PENDING, CONFIRMED or CANCELLED
 * @param userId who ordered
 * @param sku what
 * @param quantity how many units
 * @param mode TCC or XA
 * @param totalCents price of the order when it was placed
 * @param reason why it was cancelled; absent otherwise
 * @param createdAt when it was placed
 * @param updatedAt when its status last changed
 */
public record OrderResponse(String orderId, OrderStatus status, String userId, String sku, int quantity,
        OrderMode mode, long totalCents, String reason, OffsetDateTime createdAt, OffsetDateTime updatedAt) {

    public static OrderResponse of(Order order) {
        return new OrderResponse(Long.toString(order.orderId()), order.status(), order.userId(), order.sku(),
                order.quantity(), order.mode(), order.totalCents(), order.reason(), order.createdAt(),
                order.updatedAt());
    }
}
