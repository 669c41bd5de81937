package io.flotilla.registryservice.kv;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

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
}
