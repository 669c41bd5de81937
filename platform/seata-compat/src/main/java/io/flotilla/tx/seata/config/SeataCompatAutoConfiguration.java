package io.flotilla.tx.seata.config;

import io.flotilla.tx.config.TccAutoConfiguration;
import io.flotilla.tx.config.TxAutoConfiguration;
import io.flotilla.tx.config.TxWebAutoConfiguration;
import io.flotilla.tx.core.GlobalTransactionTemplate;
import io.flotilla.tx.seata.initiator.SeataGlobalTransactionalInterceptor;
import io.flotilla.tx.seata.tcc.SeataTccActionStyle;
import io.flotilla.tx.seata.web.SeataXidServletFilter;
import io.flotilla.tx.tcc.TccTryExecutor;
import io.seata.rm.tcc.api.TwoPhaseBusinessAction;
import io.seata.spring.annotation.GlobalTransactional;
import org.aopalliance.intercept.MethodInterceptor;
import org.springframework.aop.Advisor;
import org.springframework.aop.Pointcut;
import org.springframework.aop.support.ComposablePointcut;
import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.aop.support.annotation.AnnotationMatchingPointcut;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Role;
import org.springframework.core.Ordered;
import org.springframework.util.function.SingletonSupplier;
import tools.jackson.databind.json.JsonMapper;

/**
 * Seata's TCC API on Flotilla: {@code @GlobalTransactional} (Seata's) on the starter's initiator,
 * {@code @TwoPhaseBusinessAction} tries on its TCC participant machinery (branch registration, fence, phase-two
 * endpoints), and Seata's {@code TX_XID} header understood by participants. Nothing of Seata's runtime starts.
 */
@AutoConfiguration(after = {TxAutoConfiguration.class, TccAutoConfiguration.class, TxWebAutoConfiguration.class})
@ConditionalOnClass({GlobalTransactional.class, TwoPhaseBusinessAction.class})
public class SeataCompatAutoConfiguration {

    @Bean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    static Advisor flotillaSeataGlobalTransactionalAdvisor(ObjectProvider<GlobalTransactionTemplate> template) {
        SingletonSupplier<SeataGlobalTransactionalInterceptor> interceptor =
                SingletonSupplier.of(() -> new SeataGlobalTransactionalInterceptor(template.getObject()));
        // On a method, or on the class for all its methods, as Seata reads it.
        Pointcut annotated = new ComposablePointcut(new AnnotationMatchingPointcut(GlobalTransactional.class, true))
            .union(new AnnotationMatchingPointcut(null, GlobalTransactional.class, true));
        DefaultPointcutAdvisor advisor = new DefaultPointcutAdvisor(annotated,
                (MethodInterceptor) invocation -> interceptor.obtain().invoke(invocation));
        advisor.setOrder(TxAutoConfiguration.ADVISOR_ORDER);
        return advisor;
    }

    /** Participants: with the starter's TCC support (an application with one {@code DataSource}). */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnBean(TccTryExecutor.class)
    static class SeataTccConfiguration {

        @Bean
        @ConditionalOnMissingBean
        SeataTccActionStyle flotillaSeataTccActionStyle() {
            return new SeataTccActionStyle(JsonMapper.builder().build());
        }

        @Bean
        @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
        static Advisor flotillaSeataTccActionAdvisor(ObjectProvider<SeataTccActionStyle> style,
                ObjectProvider<TccTryExecutor> executor) {
            return TccAutoConfiguration.tryAdvisor(TwoPhaseBusinessAction.class, style::getObject, executor);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    static class SeataXidServerConfiguration {

        @Bean
        @ConditionalOnMissingBean(name = "flotillaSeataXidServletFilter")
        FilterRegistrationBean<SeataXidServletFilter> flotillaSeataXidServletFilter() {
            FilterRegistrationBean<SeataXidServletFilter> registration = new FilterRegistrationBean<>(new SeataXidServletFilter());
            registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 11);   // after the starter's XidServletFilter (+10)
            return registration;
        }
    }
}
