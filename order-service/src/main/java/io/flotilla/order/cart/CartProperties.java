package io.flotilla.order.cart;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Cart limits.
 *
 * @param maxLines most distinct products one cart holds (a session is stored and read on every request, so it stays
 * small)
 */
@ConfigurationProperties("flotilla.order.cart")
public record CartProperties(Integer maxLines) {

    public CartProperties {
        maxLines = maxLines == null ? 20 : maxLines;
    }
}
