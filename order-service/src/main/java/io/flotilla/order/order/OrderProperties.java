package io.flotilla.order.order;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Order settlement settings.
 *
 * @param pendingTimeout how long an order may stay PENDING before the recovery settles it by cancelling its
 * reservation (longer than a placement's own calls can take)
 * @param recoveryInterval how often the recovery looks for PENDING orders past their timeout
 * @param maxListed most orders returned by one list call
 */
@ConfigurationProperties("flotilla.order")
public record OrderProperties(Duration pendingTimeout, Duration recoveryInterval, Integer maxListed) {

    public OrderProperties {
        pendingTimeout = pendingTimeout == null ? Duration.ofSeconds(30) : pendingTimeout;
        recoveryInterval = recoveryInterval == null ? Duration.ofSeconds(5) : recoveryInterval;
        maxListed = maxListed == null ? 100 : maxListed;
    }
}
