package io.flotilla.order.inventory;

import java.time.Duration;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;

/**
 * inventory-service's products as order-service reads them: whether a sku exists and its unit price. An order used
 * to ask inventory-service for its product every time, one request in twelve of a TCC order, although products
 * change only by a migration of inventory-service's database (its API has no way to change one). So a product read
 * once is reused for {@code timeToLive}: a price changed in that database reaches new orders within that time. Only
 * answers are remembered; an unknown sku or an unreachable inventory-service is asked again on the next order, so a
 * product added later is found at once. Stock figures in a remembered product are stale by design: orders never read
 * them (the stock is taken by the TCC try or the XA branch).
 */
public class ProductCatalog {

    private final InventoryClient inventory;

    private final Cache<String, InventoryClient.Product> products;

    /**
     * @param inventory inventory-service's client
     * @param timeToLive how long a product read is reused; zero reads it on every call
     * @param maximumSize most products remembered at once
     * @param ticker the time source (tests pass their own)
     */
    public ProductCatalog(InventoryClient inventory, Duration timeToLive, long maximumSize, Ticker ticker) {
        this.inventory = inventory;
        this.products = Caffeine.newBuilder()
            .expireAfterWrite(timeToLive)
            .maximumSize(maximumSize)
            .ticker(ticker)
            .build();
    }

    /**
     * The product, from memory when read less than the time to live ago; the client's exceptions otherwise. The read
     * runs outside the cache: Caffeine's {@code get(key, loader)} holds a lock of the map for as long as the loader
     * runs, here an HTTP call through the load balancer (which takes a lock of its own cache), and under 32 clients on
     * 16 products every order behind it waited up to the read time-out. Two orders that miss the same sku at once
     * both ask inventory-service; the answers are the same.
     */
    public InventoryClient.Product product(String sku) {
        InventoryClient.Product product = products.getIfPresent(sku);
        if (product == null) {
            product = inventory.product(sku);
            products.put(sku, product);
        }
        return product;
    }
}
