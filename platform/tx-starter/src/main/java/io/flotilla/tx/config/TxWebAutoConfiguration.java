package io.flotilla.tx.config;

import io.flotilla.tx.web.NoGlobalTransactionProblemAdvice;
import io.flotilla.tx.web.XidPropagatingInterceptor;
import io.flotilla.tx.web.XidServletFilter;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.restclient.RestClientCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Role;
import org.springframework.core.Ordered;

/**
 * Carries the xid over HTTP: every {@code RestClient.Builder}, {@code WebClient.Builder}, {@code RestTemplateBuilder}
 * and {@code RestTemplate} bean (Spring Boot's or the application's own, load-balanced or not), Spring Boot's HTTP
 * service groups, and so every {@code @HttpExchange} client built from them, send it; a servlet filter binds it
 * on the participant's side.
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

        @Bean
        @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
        static XidPropagationBeanPostProcessor flotillaXidPropagationBeanPostProcessor(
                ObjectProvider<XidPropagatingInterceptor> interceptor) {
            return new XidPropagationBeanPostProcessor(interceptor);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(RestClientCustomizer.class)
    static class XidRestClientConfiguration {

        /** For the builders of Spring Boot's HTTP service groups, which are not beans. */
        @Bean
        RestClientCustomizer flotillaXidRestClientCustomizer(XidPropagatingInterceptor interceptor) {
            return builder -> builder.requestInterceptors(interceptors -> {
                if (!interceptors.contains(interceptor)) {
                    interceptors.add(interceptor);
                }
            });
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

        @Bean
        @ConditionalOnMissingBean
        NoGlobalTransactionProblemAdvice flotillaNoGlobalTransactionProblemAdvice() {
            return new NoGlobalTransactionProblemAdvice();
        }
    }
}
