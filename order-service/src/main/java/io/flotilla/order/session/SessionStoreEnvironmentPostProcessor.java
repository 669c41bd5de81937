package io.flotilla.order.session;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Applies {@code flotilla.order.session.store} before the auto-configurations are chosen: it adds the Spring
 * Session (and Redis) auto-configurations of the stores not chosen to {@code spring.autoconfigure.exclude}, keeping
 * whatever that property already lists. order-service's application.yml sets it to {@code jdbc}. Spring Boot itself has no store switch (since 3.0 it takes the one store on
 * the class path); a value it cannot bind stops start-up naming the property.
 */
public class SessionStoreEnvironmentPostProcessor implements EnvironmentPostProcessor {

    static final String STORE = "flotilla.order.session.store";
    private static final String EXCLUDE = "spring.autoconfigure.exclude";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        Binder binder = Binder.get(environment);
        // Only where the property is set (order-service's application.yml sets it): another application that shares
        // a class path with order-service, as in the shop's tests, keeps its own auto-configuration.
        SessionStore store = binder.bind(STORE, SessionStore.class).orElse(null);
        if (store == null) {
            return;
        }
        List<String> excluded = new ArrayList<>(binder.bind(EXCLUDE, Bindable.listOf(String.class)).orElse(List.of()));
        excluded.addAll(store.autoConfigurationsOff());
        environment.getPropertySources().addFirst(new MapPropertySource("flotilla.order.session.store",
                Map.of(EXCLUDE, String.join(",", new LinkedHashSet<>(excluded)))));
    }
}
