package io.flotilla.registry.serviceregistry;

import io.flotilla.registry.api.InstanceView;
import io.flotilla.registry.client.QueryOptions;
import io.flotilla.registry.client.RegistryClient;
import io.flotilla.registry.discovery.FlotillaServiceInstance;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.springframework.cloud.client.serviceregistry.ServiceRegistry;

/**
 * Registers instances and keeps them alive with heartbeats. A heartbeat answered 404 means the registry dropped
 * the instance (its TTL passed, say during a long pause or a partition): it is registered again at once. Other
 * heartbeat failures are logged and the next tick tries again; the registry's fail-over covers a dead node.
 */
public class FlotillaServiceRegistry implements ServiceRegistry<FlotillaRegistration> {

    private static final System.Logger LOGGER = System.getLogger(FlotillaServiceRegistry.class.getName());

    private final RegistryClient client;

    private final Duration heartbeatInterval;

    private final Map<String, ScheduledFuture<?>> heartbeats = new ConcurrentHashMap<>();

    private final ScheduledExecutorService scheduler;

    private final boolean failFast;

    /**
     * @param client the registry client
     * @param heartbeatInterval time between heartbeats; well under the TTL (a third is usual)
     * @param failFast whether a registration the registry did not take fails (else it is logged, and the
     *        heartbeats register the instance once the registry answers)
     */
    public FlotillaServiceRegistry(RegistryClient client, Duration heartbeatInterval, boolean failFast) {
        this.client = client;
        this.heartbeatInterval = heartbeatInterval;
        this.failFast = failFast;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform()
            .name("flotilla-registry-heartbeat")
            .daemon(true)
            .factory());
    }

    @Override
    public void register(FlotillaRegistration registration) {
        long intervalMillis = this.heartbeatInterval.toMillis();
        ScheduledFuture<?> previous = this.heartbeats.put(key(registration),
                this.scheduler.scheduleWithFixedDelay(() -> heartbeat(registration), intervalMillis, intervalMillis,
                        TimeUnit.MILLISECONDS));
        if (previous != null) {
            previous.cancel(false);
        }
        try {
            this.client.register(registration.getServiceId(), registration.toSpec());
            LOGGER.log(System.Logger.Level.INFO, "Registered {0} with the Flotilla registry", registration);
        }
        catch (RuntimeException ex) {
            if (this.failFast) {
                this.heartbeats.remove(key(registration)).cancel(false);
                throw ex;
            }
            // The first heartbeat the registry answers is a 404, which registers the instance.
            LOGGER.log(System.Logger.Level.WARNING, "Could not register {0} ({1}); heartbeats will register it "
                    + "once the registry answers", registration, ex.getMessage());
        }
    }

    private void heartbeat(FlotillaRegistration registration) {
        try {
            if (!this.client.heartbeat(registration.getServiceId(), registration.getInstanceId())) {
                LOGGER.log(System.Logger.Level.WARNING,
                        "The registry no longer knows {0} (its TTL passed); registering it again", registration);
                this.client.register(registration.getServiceId(), registration.toSpec());
            }
        }
        catch (RuntimeException ex) {
            LOGGER.log(System.Logger.Level.WARNING, "Heartbeat of {0} failed: {1}", registration, ex.getMessage());
        }
    }

    @Override
    public void deregister(FlotillaRegistration registration) {
        ScheduledFuture<?> heartbeat = this.heartbeats.remove(key(registration));
        if (heartbeat != null) {
            heartbeat.cancel(false);
        }
        try {
            this.client.deregister(registration.getServiceId(), registration.getInstanceId());
            LOGGER.log(System.Logger.Level.INFO, "Deregistered {0} from the Flotilla registry", registration);
        }
        catch (RuntimeException ex) {
            // Shutting down must not fail on the registry: the TTL removes the instance anyway.
            LOGGER.log(System.Logger.Level.WARNING, "Could not deregister {0} ({1}); its TTL will remove it",
                    registration, ex.getMessage());
        }
    }

    @Override
    public void close() {
        this.scheduler.shutdownNow();
    }

    /**
     * Sets the status the load balancer sees ({@code UP}, {@code DRAINING}, {@code OUT_OF_SERVICE}, ...) by
     * registering the instance again with the new {@code status} metadata.
     */
    @Override
    public void setStatus(FlotillaRegistration registration, String status) {
        registration.setStatus(status);
        this.client.register(registration.getServiceId(), registration.toSpec());
    }

    /** @return the status the registry reports for the instance, or {@code null} when it does not know it */
    @Override
    @SuppressWarnings("unchecked")
    public <T> T getStatus(FlotillaRegistration registration) {
        return (T) this.client.instances(registration.getServiceId(), QueryOptions.DEFAULT)
            .value()
            .stream()
            .filter(instance -> instance.instanceId().equals(registration.getInstanceId()))
            .findFirst()
            .map(FlotillaServiceRegistry::status)
            .orElse(null);
    }

    private static String status(InstanceView instance) {
        return new FlotillaServiceInstance(instance).getMetadata().get(FlotillaServiceInstance.STATUS);
    }

    private static String key(FlotillaRegistration registration) {
        return registration.getServiceId() + "/" + registration.getInstanceId();
    }
}
