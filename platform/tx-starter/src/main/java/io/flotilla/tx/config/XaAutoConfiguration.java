package io.flotilla.tx.config;

import io.flotilla.tx.core.CoordinatorClient;
import io.flotilla.tx.core.ParticipantCallbacks;
import io.flotilla.tx.core.TransactionListener;
import io.flotilla.tx.web.XaParticipantController;
import io.flotilla.tx.xa.XaBranch;
import io.flotilla.tx.xa.XaBranchInterceptor;
import io.flotilla.tx.xa.XaDataSources;
import io.flotilla.tx.xa.XaPreflight;
import io.flotilla.tx.xa.XaRecovery;
import io.flotilla.tx.xa.XaRecoveryScheduler;
import io.flotilla.tx.xa.XaResourceManager;
import org.springframework.aop.Advisor;
import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.aop.support.annotation.AnnotationMatchingPointcut;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Role;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;

import javax.sql.DataSource;
import javax.sql.XADataSource;
import java.time.Clock;

/**
 * XA participant support: the {@link XaBranch} interceptor, the commit/rollback endpoints and in-doubt branch
 * recovery, on the application's {@link XADataSource} bean or, without one, the JDBC driver's own XADataSource
 * built from {@code spring.datasource.url/username/password}.
 */
@AutoConfiguration(after = TxAutoConfiguration.class, afterName = {
        "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
        "org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration"})
@ConditionalOnClass(JdbcTemplate.class)
@ConditionalOnSingleCandidate(DataSource.class)
@ConditionalOnBooleanProperty(name = "flotilla.tx.xa.enabled", matchIfMissing = true)
@Conditional(XaCapableCondition.class)
public class XaAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    XaResourceManager flotillaXaResourceManager(ObjectProvider<XADataSource> xaDataSource, Environment environment,
            TxProperties properties) {
        XADataSource dataSource = xaDataSource(xaDataSource, environment);
        String tag = properties.getXa().getRecoveryTag();
        if (tag == null || tag.isBlank()) {
            tag = environment.getProperty("spring.application.name", "flotilla");
        }
        return new XaResourceManager(dataSource, tag, properties.getXa().getPool().toSettings(), Clock.systemUTC());
    }

    private static XADataSource xaDataSource(ObjectProvider<XADataSource> xaDataSource, Environment environment) {
        return xaDataSource.getIfAvailable(() -> {
            String url = environment.getProperty("spring.datasource.url");
            // Spring Boot connects to an embedded H2 as "sa" when no username is set; the XA connections must too.
            String defaultUsername = url != null && url.startsWith("jdbc:h2:") ? "sa" : null;
            return XaDataSources.forUrl(url, environment.getProperty("spring.datasource.username", defaultUsername),
                    environment.getProperty("spring.datasource.password"));
        });
    }

    @Bean
    @ConditionalOnMissingBean
    XaPreflight flotillaXaPreflight(ObjectProvider<XADataSource> xaDataSource, Environment environment) {
        return new XaPreflight(xaDataSource(xaDataSource, environment));
    }

    /**
     * Stops start-up when the database cannot run the application's XA branches (a PostgreSQL with
     * max_prepared_transactions = 0, a MariaDB user without XA_RECOVER_ADMIN), instead of failing the first
     * global transaction. Applications without {@code @XaBranch} methods are not checked: XA is on by default,
     * and a TCC-only application on a stock PostgreSQL must start.
     */
    @Bean
    SmartInitializingSingleton flotillaXaPreflightCheck(ObjectProvider<XaPreflight> preflight,
            ListableBeanFactory beanFactory) {
        return () -> {
            if (AnnotatedMethods.any(beanFactory, XaBranch.class)) {
                preflight.getObject().check();
            }
        };
    }

    @Bean
    @ConditionalOnMissingBean
    XaRecovery flotillaXaRecovery(XaResourceManager resources, CoordinatorClient coordinator,
            ObjectProvider<TransactionListener> listener) {
        return new XaRecovery(resources, coordinator, listener.getIfAvailable(() -> TransactionListener.NONE));
    }

    @Bean
    @ConditionalOnMissingBean
    XaRecoveryScheduler flotillaXaRecoveryScheduler(XaRecovery recovery, TxProperties properties,
            ListableBeanFactory beanFactory) {
        return new XaRecoveryScheduler(recovery, properties.getXa().getRecoveryInterval(),
                () -> AnnotatedMethods.any(beanFactory, XaBranch.class));
    }

    @Bean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    static Advisor flotillaXaBranchAdvisor(ObjectProvider<CoordinatorClient> coordinator,
            ObjectProvider<ParticipantCallbacks> callbacks, ObjectProvider<XaResourceManager> resources,
            ObjectProvider<DataSource> dataSource, ObjectProvider<TransactionListener> listener) {
        DefaultPointcutAdvisor advisor = new DefaultPointcutAdvisor(
                AnnotationMatchingPointcut.forMethodAnnotation(XaBranch.class),
                new LazyInterceptor(() -> new XaBranchInterceptor(coordinator.getObject(), callbacks.getObject(),
                        resources.getObject(), dataSource.getObject(),
                        listener.getIfAvailable(() -> TransactionListener.NONE))));
        advisor.setOrder(TxAutoConfiguration.ADVISOR_ORDER);
        return advisor;
    }

    /** The endpoints the coordinator calls in phase two. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    static class XaEndpointsConfiguration {

        @Bean
        @ConditionalOnMissingBean
        XaParticipantController flotillaXaParticipantController(XaResourceManager resources) {
            return new XaParticipantController(resources);
        }
    }
}
