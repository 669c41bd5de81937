package io.flotilla.tx.config;

import io.flotilla.raft.client.FailoverTransport;
import io.flotilla.tx.core.CoordinatorClient;
import io.flotilla.tx.core.GlobalTransactionTemplate;
import io.flotilla.tx.core.HttpCoordinatorClient;
import io.flotilla.tx.core.ParticipantCallbacks;
import io.flotilla.tx.core.TransactionListener;
import io.flotilla.tx.initiator.GlobalTransactional;
import io.flotilla.tx.initiator.GlobalTransactionalInterceptor;
import io.flotilla.tx.metrics.MicrometerTransactionListener;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.aop.Advisor;
import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.aop.support.annotation.AnnotationMatchingPointcut;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Role;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;
import org.springframework.util.StringUtils;
import org.springframework.util.function.SingletonSupplier;

import java.net.URI;
import java.util.function.Supplier;

/**
 * The coordinator client, the initiator ({@link GlobalTransactionTemplate} and {@link GlobalTransactional}) and
 * the callback URLs participants register. Participant support lives in {@link TccAutoConfiguration} and
 * {@link XaAutoConfiguration}; xid propagation over HTTP in {@link TxWebAutoConfiguration}.
 */
@AutoConfiguration
@EnableConfigurationProperties(TxProperties.class)
@Import(TxProxyRegistrar.class)
public class TxAutoConfiguration {

    /** The starter's interceptors wrap the application's own {@code @Transactional} ones (which default to last). */
    public static final int ADVISOR_ORDER = Ordered.HIGHEST_PRECEDENCE + 100;

    @Bean
    @ConditionalOnMissingBean
    CoordinatorClient flotillaCoordinatorClient(TxProperties properties, ObjectProvider<SslBundles> sslBundles) {
        TxProperties.Coordinator coordinator = properties.getCoordinator();
        FailoverTransport.Builder transport = FailoverTransport.builder()
            .service("coordinator")
            .addresses(coordinator.getAddresses())
            .connectTimeout(coordinator.getConnectTimeout())
            .requestTimeout(coordinator.getRequestTimeout())
            .failoverTimeout(coordinator.getFailoverTimeout())
            .sslContext(CoordinatorSslContext.of(coordinator.getSslBundle(), sslBundles.getIfAvailable()));
        if (StringUtils.hasText(coordinator.getToken())) {
            transport.header("Authorization", "Bearer " + coordinator.getToken());
        }
        return new HttpCoordinatorClient(transport.build());
    }

    @Bean
    @ConditionalOnMissingBean
    GlobalTransactionTemplate flotillaGlobalTransactionTemplate(CoordinatorClient coordinator, TxProperties properties,
            ObjectProvider<TransactionListener> listener) {
        return new GlobalTransactionTemplate(coordinator, properties.getDefaultTimeout(),
                listener.getIfAvailable(() -> TransactionListener.NONE));
    }

    @Bean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    static Advisor flotillaGlobalTransactionalAdvisor(ObjectProvider<GlobalTransactionTemplate> template) {
        DefaultPointcutAdvisor advisor = new DefaultPointcutAdvisor(
                AnnotationMatchingPointcut.forMethodAnnotation(GlobalTransactional.class),
                new LazyInterceptor(() -> new GlobalTransactionalInterceptor(template.getObject())));
        advisor.setOrder(ADVISOR_ORDER);
        return advisor;
    }

    @Bean
    @ConditionalOnMissingBean
    ParticipantBaseUrl flotillaParticipantBaseUrl(TxProperties properties, Environment environment,
            ListableBeanFactory beanFactory, @Qualifier("flotillaRegisteredAddress") ObjectProvider<Supplier<URI>> registered) {
        // Resolved once, at the first question (every bean exists by then): each branch registration asks.
        SingletonSupplier<Supplier<URI>> address = SingletonSupplier.of(() -> registered.getIfAvailable(() -> () -> null));
        return new ParticipantBaseUrl(properties.getParticipant().getBaseUrl(), () -> address.obtain().get(),
                environment, beanFactory);
    }

    @Bean
    @ConditionalOnMissingBean
    ParticipantCallbacks flotillaParticipantCallbacks(TxProperties properties, ParticipantBaseUrl baseUrl,
            ListableBeanFactory beanFactory) {
        // Asked at the first registration, when every bean exists; the batch endpoint is announced only if served.
        // By name: this configuration also runs where the web classes the endpoint needs are absent.
        SingletonSupplier<Boolean> servesBatches = SingletonSupplier.of(
                () -> beanFactory.containsBean(PhaseTwoBatchAutoConfiguration.CONTROLLER_BEAN));
        return new ParticipantCallbacks(baseUrl, properties.getParticipant().getPathPrefix(), servesBatches::obtain);
    }

    /** With Spring Cloud's registration (the registry starter), the address the application registered. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.cloud.client.serviceregistry.Registration")
    static class RegisteredAddressConfiguration {

        @Bean
        Supplier<URI> flotillaRegisteredAddress(
                ObjectProvider<org.springframework.cloud.client.serviceregistry.Registration> registration) {
            return new RegisteredAddress(registration::getIfAvailable);
        }
    }

    /** Meters when Micrometer is present; without it, no listener. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(MeterRegistry.class)
    static class TxMetricsConfiguration {

        @Bean
        @ConditionalOnMissingBean
        TransactionListener flotillaTransactionListener(ObjectProvider<MeterRegistry> registry) {
            MeterRegistry meters = registry.getIfAvailable();
            return meters == null ? TransactionListener.NONE : new MicrometerTransactionListener(meters);
        }
    }
}
