package io.flotilla.order.points;

import io.flotilla.tx.message.MessageTargets;
import io.flotilla.tx.message.TransactionalMessages;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.discovery.DiscoveryClient;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Sends {@code order-confirmed} to the loyalty-points ledger (inventory-service's {@code order-confirmed} receiver)
 * as a two-phase message: it joins the local transaction that confirms the order, so the ledger hears of every
 * confirmed order and of no other. The receiver is found by discovery when the message is sent; the coordinator
 * then delivers to that instance until it answers (the last one seen serves while discovery lists none, e.g. while
 * the ledger restarts).
 */
@Component
public class LoyaltyMessages {

    static final String LEDGER_SERVICE = "inventory-service";
    static final String RECEIVER = "order-confirmed";

    private final TransactionalMessages messages;
    private final DiscoveryClient discovery;
    private final AtomicReference<String> lastTarget = new AtomicReference<>();

    public LoyaltyMessages(TransactionalMessages messages, DiscoveryClient discovery) {
        this.messages = messages;
        this.discovery = discovery;
    }

    /** Call inside the transaction that confirms the order. */
    public String orderConfirmed(long orderId, String userId, long totalCents) {
        return messages.send(RECEIVER, List.of(target()), new OrderConfirmed(orderId, userId, totalCents));
    }

    private String target() {
        List<ServiceInstance> instances = discovery.getInstances(LEDGER_SERVICE);
        if (!instances.isEmpty()) {
            ServiceInstance instance = instances.get(Math.floorMod(Thread.currentThread().hashCode(), instances.size()));
            lastTarget.set(MessageTargets.receiver(instance.getUri().toString(), RECEIVER));
        }
        String target = lastTarget.get();
        if (target == null) {
            throw new IllegalStateException("no " + LEDGER_SERVICE + " instance is registered to receive "
                    + RECEIVER + " messages");
        }
        return target;
    }
}
