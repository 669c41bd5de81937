package io.flotilla.order.inventory;

import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.service.annotation.GetExchange;
import org.springframework.web.service.annotation.HttpExchange;
import org.springframework.web.service.annotation.PostExchange;

/**
 * inventory-service's API as a Spring HTTP interface. Its group is {@code inventory-service} with no base URL, so
 * Spring Cloud LoadBalancer resolves {@code lb://inventory-service} through discovery on every call, and the tx
 * starter adds the current global transaction's xid to every request. A 4xx or 5xx answer throws a
 * {@code RestClientResponseException}; an unreachable service a {@code ResourceAccessException}.
 */
@HttpExchange("/api")
public interface InventoryClient {

    @GetExchange("/products/{sku}")
    Product product(@PathVariable String sku);

    /** TCC try of the global transaction bound to this thread: freeze the units until confirm or cancel. */
    @PostExchange("/stock/reservations")
    void reserve(@RequestBody StockRequest request);

    /** XA branch of the global transaction bound to this thread: take the units, prepared until phase two. */
    @PostExchange("/stock/deductions")
    void deduct(@RequestBody StockRequest request);

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
}
