package io.flotilla.registryservice.kv;

import io.flotilla.raft.server.config.RaftServerAutoConfiguration;
import io.flotilla.registryservice.RegistryProperties;
import io.flotilla.registryservice.store.RegistryStore;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.servlet.HandlerExceptionResolver;
import tools.jackson.databind.json.JsonMapper;

/** The KV endpoints' request handling that is not the controller's. */
@Configuration(proxyBeanMethods = false)
class KvWebConfiguration {

    /** First of all filters: a parameter read by any earlier one would already have consumed a form body. */
    @Bean
    FilterRegistrationBean<OpaqueKvBodyFilter> opaqueKvBodyFilter() {
        FilterRegistrationBean<OpaqueKvBodyFilter> registration = new FilterRegistrationBean<>(new OpaqueKvBodyFilter());
        registration.addUrlPatterns("/v1/kv/*");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }

    /** Single-key reads and writes without Spring MVC, after the Raft kit's token and leader-forwarding filters. */
    @Bean
    FilterRegistrationBean<KvHotPathFilter> kvHotPathFilter(RegistryStore store, RegistryProperties properties,
            JsonMapper jsonMapper, @Qualifier("handlerExceptionResolver") HandlerExceptionResolver resolver) {
        FilterRegistrationBean<KvHotPathFilter> registration = new FilterRegistrationBean<>(
                new KvHotPathFilter(store, properties, jsonMapper, resolver));
        registration.addUrlPatterns("/v1/kv/*");
        registration.setOrder(RaftServerAutoConfiguration.HOT_PATH_FILTER_ORDER);
        return registration;
    }
}
