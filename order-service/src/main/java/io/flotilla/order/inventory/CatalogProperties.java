package io.flotilla.order.inventory;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How long order-service reuses a product it read from inventory-service.
 *
 * @param timeToLive how long a product read is reused (its price reaches new orders within this after a change);
 * zero asks inventory-service on every order
 * @param maximumSize most products remembered at once
 */
@ConfigurationProperties("flotilla.order.catalog")
public record CatalogProperties(Duration timeToLive, Long maximumSize) {

    public CatalogProperties {
        timeToLive = timeToLive == null ? Duration.ofSeconds(30) : timeToLive;
        maximumSize = maximumSize == null ? 10_000L : maximumSize;
        if (timeToLive.isNegative()) {
            throw new IllegalArgumentException("flotilla.order.catalog.time-to-live must not be negative");
        }
    }
}
