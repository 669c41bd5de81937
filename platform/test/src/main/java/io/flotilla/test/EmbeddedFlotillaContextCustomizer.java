package io.flotilla.test;

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
        var beanFactory = context.getBeanFactory();
        beanFactory.registerSingleton(BEAN_NAME, servers);
        if (beanFactory instanceof org.springframework.beans.factory.support.DefaultSingletonBeanRegistry registry) {
            registry.registerDisposableBean(BEAN_NAME, servers::close);
        }
    }
}
