package io.flotilla.test;

import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.DefaultSingletonBeanRegistry;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.MergedContextConfiguration;

/**
 * Starts the embedded servers before the test context refreshes, puts their properties first in its environment
 * and registers them as a bean that is stopped with the context. A record: two test classes with the same
 * {@code @EmbeddedFlotilla} attributes and otherwise the same configuration share one cached context.
 */
record EmbeddedFlotillaContextCustomizer(boolean registry, boolean coordinator) implements ContextCustomizer {

    static final String BEAN_NAME = "embeddedFlotillaServers";

    @Override
    public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration mergedConfig) {
        EmbeddedFlotillaServers servers = EmbeddedFlotillaServers.start(registry, coordinator);
        context.getEnvironment().getPropertySources()
            .addFirst(new MapPropertySource("embeddedFlotilla", servers.properties()));
        ConfigurableListableBeanFactory beanFactory = context.getBeanFactory();
        beanFactory.registerSingleton(BEAN_NAME, servers);
        // Registered before every bean of the application, so destroyed after all of them: the application
        // deregisters and revokes its leases while the registry still runs.
        if (beanFactory instanceof DefaultSingletonBeanRegistry singletons) {
            singletons.registerDisposableBean(BEAN_NAME, servers::close);
        }
    }
}
