package io.flotilla.registry.serviceregistry;

import org.springframework.cloud.client.serviceregistry.AbstractAutoServiceRegistration;
import org.springframework.cloud.client.serviceregistry.AutoServiceRegistrationProperties;
import org.springframework.context.ApplicationContext;

/**
 * Registers this application once its web server listens (Spring Cloud's {@link AbstractAutoServiceRegistration}
 * fires on {@code WebServerInitializedEvent}) and deregisters it when the context closes, before the web server
 * stops taking requests.
 */
public class FlotillaAutoServiceRegistration extends AbstractAutoServiceRegistration<FlotillaRegistration> {

    private final FlotillaRegistration registration;

    private final boolean enabled;

    /**
     * @param context the application context
     * @param serviceRegistry the registry
     * @param properties Spring Cloud's auto-registration settings
     * @param registration this application's registration
     * @param enabled whether to register at all
     */
    public FlotillaAutoServiceRegistration(ApplicationContext context, FlotillaServiceRegistry serviceRegistry,
            AutoServiceRegistrationProperties properties, FlotillaRegistration registration, boolean enabled) {
        super(context, serviceRegistry, properties);
        this.registration = registration;
        this.enabled = enabled;
    }

    @Override
    protected Object getConfiguration() {
        return this.registration;
    }

    @Override
    protected boolean isEnabled() {
        return this.enabled;
    }

    @Override
    protected FlotillaRegistration getRegistration() {
        if (this.registration.getPort() == 0 && getPort().get() > 0) {
            this.registration.setPort(getPort().get());
        }
        return this.registration;
    }

    @Override
    protected FlotillaRegistration getManagementRegistration() {
        return null;
    }
}
