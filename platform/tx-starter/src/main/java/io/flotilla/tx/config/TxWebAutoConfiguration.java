package io.flotilla.tx.config;

import io.flotilla.tx.web.XidPropagatingInterceptor;
import io.flotilla.tx.web.XidServletFilter;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.restclient.RestClientCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/**
 * Carries the xid over HTTP: every auto-configured {@code RestClient.Builder} (and so every {@code @HttpExchange}
 * client built from one) sends it, and a servlet filter binds it on the participant's side.
 */
@AutoConfiguration(after = TxAutoConfiguration.class)
public class TxWebAutoConfiguration {

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.http.client.ClientHttpRequestInterceptor")
    static class XidClientConfiguration {

        @Bean
        @ConditionalOnMissingBean
        XidPropagatingInterceptor flotillaXidPropagatingInterceptor() {
            return new XidPropagatingInterceptor();
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(RestClientCustomizer.class)
    static class XidRestClientConfiguration {

        @Bean
        RestClientCustomizer flotillaXidRestClientCustomizer(XidPropagatingInterceptor interceptor) {
            return builder -> builder.requestInterceptor(interceptor);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    static class XidServerConfiguration {

        @Bean
        @ConditionalOnMissingBean(name = "flotillaXidServletFilter")
        FilterRegistrationBean<XidServletFilter> flotillaXidServletFilter() {
            FilterRegistrationBean<XidServletFilter> registration = new FilterRegistrationBean<>(new XidServletFilter());
            registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
            return registration;
        }
    }
}
