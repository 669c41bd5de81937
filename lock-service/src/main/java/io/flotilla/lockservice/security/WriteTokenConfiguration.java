package io.flotilla.lockservice.security;

import io.flotilla.raft.server.BearerTokenFilter;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/**
 * Writes to {@code /v1/locks} need {@code Authorization: Bearer <flotilla.lock.server.token>} when a token is set,
 * with the same filter (and 401 problem detail) the registry and the coordinator use.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(LockServerProperties.class)
class WriteTokenConfiguration {

    @Bean
    FilterRegistrationBean<BearerTokenFilter> lockWriteTokenFilter(LockServerProperties properties) {
        FilterRegistrationBean<BearerTokenFilter> registration = new FilterRegistrationBean<>(new BearerTokenFilter(
                properties.getToken(), "flotilla-lock-service", "flotilla.lock.server.token"));
        registration.addUrlPatterns("/v1/locks/*");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 20);
        return registration;
    }
}
