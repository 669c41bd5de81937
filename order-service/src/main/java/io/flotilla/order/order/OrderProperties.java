package io.flotilla.order.order;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Order settlement settings.
 *
 * @param transactionTimeout how long the coordinator lets an order's global transaction run before rolling it back
 * @param pendingTimeout how long an order may stay PENDING before the recovery asks the coordinator about it (longer
 * than the transaction timeout)
 * @param recoveryInterval how often the recovery looks for PENDING orders past their timeout
 * @param idempotencyLockWait how long a request waits for another request with the same Idempotency-Key to finish
 * @param maxListed most orders returned by one list call
 */
@ConfigurationProperties("flotilla.order")
public record OrderProperties(Duration transactionTimeout, Duration pendingTimeout, Duration recoveryInterval,
        Duration idempotencyLockWait, Integer maxListed) {

    public OrderProperties {
        transactionTimeout = transactionTimeout == null ? Duration.ofSeconds(10) : transactionTimeout;
        pendingTimeout = pendingTimeout == null ? Duration.ofSeconds(30) : pendingTimeout;
        recoveryInterval = recoveryInterval == null ? Duration.ofSeconds(5) : recoveryInterval;
        idempotencyLockWait = idempotencyLockWait == null ? Duration.ofSeconds(30) : idempotencyLockWait;
        maxListed = maxListed == null ? 100 : maxListed;
    }
}
