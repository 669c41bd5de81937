package io.flotilla.tx.config;

import io.flotilla.tx.core.CoordinatorClient;
import io.flotilla.tx.core.ParticipantCallbacks;
import io.flotilla.tx.core.TransactionListener;
import io.flotilla.tx.tcc.FenceSchema;
import io.flotilla.tx.tcc.FlotillaTccActionStyle;
import io.flotilla.tx.tcc.TccAction;
import io.flotilla.tx.tcc.TccActionInterceptor;
import io.flotilla.tx.tcc.TccActionRegistry;
import io.flotilla.tx.tcc.TccActionStyle;
import io.flotilla.tx.tcc.TccArgumentCodec;
import io.flotilla.tx.tcc.TccBranchExecutor;
import io.flotilla.tx.tcc.TccFenceStore;
import io.flotilla.tx.tcc.TccTryExecutor;
import io.flotilla.tx.web.TccParticipantController;
import org.flywaydb.core.Flyway;
import org.springframework.aop.Advisor;
import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.aop.support.annotation.AnnotationMatchingPointcut;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Role;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.util.function.SingletonSupplier;

import javax.sql.DataSource;
import java.lang.annotation.Annotation;
import java.util.function.Supplier;

/**
 * TCC participant support for an application with one {@link DataSource}: the fence table (created by the
 * starter's Flyway migration), the {@link TccAction} interceptor and the confirm/cancel endpoints. Other ways of
 * declaring actions ({@link TccActionStyle} beans with their {@link #tryAdvisor}) share all of it.
 */
@AutoConfiguration(after = TxAutoConfiguration.class, afterName = {
        "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
        "org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration",
        "org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration"})
@ConditionalOnClass({JdbcTemplate.class, PlatformTransactionManager.class})
@ConditionalOnSingleCandidate(DataSource.class)
public class TccAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    TccFenceStore flotillaTccFenceStore() {
        return new TccFenceStore();
    }

    @Bean
    @ConditionalOnMissingBean
    TccArgumentCodec flotillaTccArgumentCodec() {
        return new TccArgumentCodec();
    }

    @Bean
    @ConditionalOnMissingBean
    FlotillaTccActionStyle flotillaTccActionStyle(TccArgumentCodec codec) {
        return new FlotillaTccActionStyle(codec);
    }

    @Bean
    @ConditionalOnMissingBean
    TccActionRegistry flotillaTccActionRegistry(ListableBeanFactory beanFactory, ObjectProvider<TccActionStyle> styles) {
        return new TccActionRegistry(beanFactory, styles.orderedStream().toList());
    }

    @Bean
    @ConditionalOnMissingBean
    TccTryExecutor flotillaTccTryExecutor(CoordinatorClient coordinator, ParticipantCallbacks callbacks,
            TccFenceStore fence, DataSource dataSource, PlatformTransactionManager transactionManager,
            ObjectProvider<TransactionListener> listener) {
        return new TccTryExecutor(coordinator, callbacks, fence, dataSource, transactionManager,
                listener.getIfAvailable(() -> TransactionListener.NONE));
    }

    @Bean
    @ConditionalOnMissingBean
    TccBranchExecutor flotillaTccBranchExecutor(TccActionRegistry registry, TccFenceStore fence, DataSource dataSource,
            PlatformTransactionManager transactionManager, ObjectProvider<TransactionListener> listener) {
        return new TccBranchExecutor(registry, fence, dataSource, transactionManager,
                listener.getIfAvailable(() -> TransactionListener.NONE));
    }

    @Bean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    static Advisor flotillaTccActionAdvisor(ObjectProvider<FlotillaTccActionStyle> style,
            ObjectProvider<TccTryExecutor> executor) {
        return tryAdvisor(TccAction.class, style::getObject, executor);
    }

    /**
     * The advisor that runs the tries of a {@link TccActionStyle} (its {@code tryAnnotation()}, on a method or on
     * the interface method it implements) through the {@link TccTryExecutor}; another style registers one of its
     * own with this, from a static {@code @Bean} method as this class does.
     */
    public static Advisor tryAdvisor(Class<? extends Annotation> tryAnnotation, Supplier<? extends TccActionStyle> style,
            ObjectProvider<TccTryExecutor> executor) {
        Supplier<TccTryExecutor> tryExecutor = SingletonSupplier.of(executor::getObject);
        DefaultPointcutAdvisor advisor = new DefaultPointcutAdvisor(new AnnotationMatchingPointcut(null, tryAnnotation, true),
                new LazyInterceptor(() -> new TccActionInterceptor(style.get(), tryExecutor)));
        advisor.setOrder(TxAutoConfiguration.ADVISOR_ORDER);
        return advisor;
    }

    /** The endpoints the coordinator calls in phase two. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    static class TccEndpointsConfiguration {

        @Bean
        @ConditionalOnMissingBean
        TccParticipantController flotillaTccParticipantController(TccBranchExecutor executor) {
            return new TccParticipantController(executor);
        }
    }

    /** Creates the fence table when Flyway is on the class path (otherwise create it yourself, see the README). */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(Flyway.class)
    @ConditionalOnBooleanProperty(name = "flotilla.tx.tcc.initialize-schema", matchIfMissing = true)
    static class FenceSchemaConfiguration {

        @Bean
        InitializingBean flotillaTccFenceSchema(DataSource dataSource) {
            return () -> FenceSchema.migrate(dataSource);
        }
    }
}
