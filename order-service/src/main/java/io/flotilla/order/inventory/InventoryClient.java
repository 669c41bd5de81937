package io.flotilla.order.inventory;

import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.service.annotation.GetExchange;
import org.springframework.web.service.annotation.HttpExchange;
import org.springframework.web.service.annotation.PostExchange;
import org.springframework.web.service.annotation.PutExchange;

/**
 * inventory-service's API as a Spring HTTP interface. Its group is {@code inventory-service} with no base URL, so
 * Spring Cloud LoadBalancer resolves {@code lb://inventory-service} through discovery on every call. A 4xx or 5xx
 * answer throws a {@code RestClientResponseException}; an unreachable service a {@code ResourceAccessException}.
 */
@HttpExchange("/api")
public interface InventoryClient {

    @GetExchange("/products/{sku}")
    Product product(@PathVariable String sku);

    /** TCC try: freeze stock under the reservation id. */
    @PutExchange("/reservations/{reservationId}")
    Reservation reserve(@PathVariable String reservationId, @RequestBody StockRequest request);

    /** TCC confirm. */
    @PostExchange("/reservations/{reservationId}/confirm")
    Reservation confirm(@PathVariable String reservationId);

    /** TCC cancel; also the authority on an unsettled order: 409 means the stock was already taken. */
    @PostExchange("/reservations/{reservationId}/cancel")
    Reservation cancel(@PathVariable String reservationId);

    /** Take stock in one step under the reservation id. */
    @PutExchange("/deductions/{reservationId}")
    Reservation deduct(@PathVariable String reservationId, @RequestBody StockRequest request);

    /**
     * A product as inventory-service describes it.
     *
     * @param sku the product's key
     * @param name display name
     * @param priceCents unit price in cents
     * @param available units that can be reserved
     * @param frozen units held by unsettled reservations
     */
    record Product(String sku, String name, long priceCents, int available, int frozen) {
    }

    /**
     * Units to hold or take.
     *
     * @param sku the product
     * @param quantity how many units
     */
    record StockRequest(String sku, int quantity) {
    }

    /**
     * A reservation as inventory-service reports it.
     *
     * @param reservationId the id the order service chose (the order id)
     * @param sku the product
     * @param quantity units held or taken
     * @param status TRIED, CONFIRMED or CANCELLED
     */
    record Reservation(String reservationId, String sku, int quantity, String status) {
    }
}
