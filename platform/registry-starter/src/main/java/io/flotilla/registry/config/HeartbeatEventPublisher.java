package io.flotilla.registry.config;

import io.flotilla.registry.discovery.ServiceInstanceCache;

import org.springframework.cloud.client.discovery.event.HeartbeatEvent;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.core.Ordered;

/**
 * Publishes Spring Cloud's {@link HeartbeatEvent} (value: the registry index) on every change the discovery watches
 * see; Spring Cloud Gateway refreshes its routes on it. Runs after the other change listeners (cache eviction), so
 * that listeners of the event see their effects.
 */
final class HeartbeatEventPublisher implements ServiceInstanceCache.ChangeListener, Ordered {

    private final ApplicationEventPublisher publisher;

    private final Object source;

    HeartbeatEventPublisher(ApplicationEventPublisher publisher, Object source) {
        this.publisher = publisher;
        this.source = source;
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }

    @Override
    public void changed(String service, long index) {
        this.publisher.publishEvent(new HeartbeatEvent(this.source, index));
    }
}
