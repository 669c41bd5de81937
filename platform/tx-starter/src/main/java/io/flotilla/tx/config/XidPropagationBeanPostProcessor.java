package io.flotilla.tx.config;

import io.flotilla.tx.web.XidPropagatingExchangeFilter;
import io.flotilla.tx.web.XidPropagatingInterceptor;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.restclient.RestTemplateBuilder;
import org.springframework.util.ClassUtils;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestTemplate;
import org.springframework.web.reactive.function.client.WebClient;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Makes every HTTP client builder bean of the application carry the xid: each {@code RestClient.Builder},
 * {@code WebClient.Builder} and {@code RestTemplateBuilder} bean (Spring Boot's, or one the application declares
 * itself, {@code @LoadBalanced} or not) and each {@code RestTemplate} bean. Spring Boot's customizers reach only
 * the builders Spring Boot makes, and the usual {@code @Bean @LoadBalanced RestClient.Builder} is the
 * application's own: without this, a TCC participant called through it is silently not joined.
 *
 * <p>Adding is idempotent (a builder that already has the interceptor, from the customizer or by hand, is left
 * as it is). Each client type is handled only when its library is on the class path.
 */
class XidPropagationBeanPostProcessor implements BeanPostProcessor {

    private final ObjectProvider<XidPropagatingInterceptor> interceptor;
    private final List<UnaryOperator<Object>> decorators = new ArrayList<>();

    XidPropagationBeanPostProcessor(ObjectProvider<XidPropagatingInterceptor> interceptor) {
        this.interceptor = interceptor;
        ClassLoader classLoader = getClass().getClassLoader();
        if (ClassUtils.isPresent("org.springframework.web.client.RestClient", classLoader)) {
            decorators.add(bean -> RestClients.decorate(bean, this::interceptor));
        }
        if (ClassUtils.isPresent("org.springframework.boot.restclient.RestTemplateBuilder", classLoader)) {
            decorators.add(bean -> RestTemplateBuilders.decorate(bean, this::interceptor));
        }
        if (ClassUtils.isPresent("org.springframework.web.reactive.function.client.WebClient", classLoader)) {
            decorators.add(WebClients::decorate);
        }
    }

    private XidPropagatingInterceptor interceptor() {
        return interceptor.getIfAvailable(XidPropagatingInterceptor::new);
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        Object result = bean;
        for (UnaryOperator<Object> decorator : decorators) {
            result = decorator.apply(result);
        }
        return result;
    }

    /** {@code RestClient.Builder} and {@code RestTemplate} (spring-web). */
    private static final class RestClients {

        static Object decorate(Object bean, java.util.function.Supplier<XidPropagatingInterceptor> interceptor) {
            if (bean instanceof RestClient.Builder builder) {
                builder.requestInterceptors(interceptors -> {
                    if (interceptors.stream().noneMatch(XidPropagatingInterceptor.class::isInstance)) {
                        interceptors.add(interceptor.get());
                    }
                });
            } else if (bean instanceof RestTemplate template
                    && template.getInterceptors().stream().noneMatch(XidPropagatingInterceptor.class::isInstance)) {
                template.getInterceptors().add(interceptor.get());
            }
            return bean;
        }
    }

    /** {@code RestTemplateBuilder} (spring-boot-restclient); immutable, so the bean becomes the extended copy. */
    private static final class RestTemplateBuilders {

        static Object decorate(Object bean, java.util.function.Supplier<XidPropagatingInterceptor> interceptor) {
            return bean instanceof RestTemplateBuilder builder ? builder.additionalInterceptors(interceptor.get()) : bean;
        }
    }

    /** {@code WebClient.Builder} (spring-webflux). */
    private static final class WebClients {

        static Object decorate(Object bean) {
            if (bean instanceof WebClient.Builder builder) {
                builder.filters(filters -> {
                    if (filters.stream().noneMatch(XidPropagatingExchangeFilter.class::isInstance)) {
                        filters.add(new XidPropagatingExchangeFilter());
                    }
                });
            }
            return bean;
        }
    }
}
