package io.flotilla.tx.config;

import io.flotilla.tx.message.MessageEndpoints;
import io.flotilla.tx.web.PhaseTwoBatchController;
import io.flotilla.tx.web.PhaseTwoHotPathFilter;
import io.flotilla.tx.web.TccParticipantController;
import io.flotilla.tx.web.XaParticipantController;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.webmvc.autoconfigure.DispatcherServletPath;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.Ordered;
import org.springframework.web.servlet.DispatcherServlet;
import org.springframework.web.servlet.HandlerExceptionResolver;
import tools.jackson.databind.json.JsonMapper;

/**
 * Serves the coordinator's phase-two calls with {@link PhaseTwoHotPathFilter} instead of Spring MVC's dispatch
 * ({@code flotilla.tx.participant.hot-path=false} leaves them to the controllers). The filter runs last, after the
 * application's own filters and {@link ParticipantSignatureAutoConfiguration}'s signature check.
 */
@AutoConfiguration(after = {TccAutoConfiguration.class, XaAutoConfiguration.class,
        ParticipantSignatureAutoConfiguration.class, PhaseTwoBatchAutoConfiguration.class},
        afterName = {"io.flotilla.tx.message.config.TxMessagesAutoConfiguration",
                "org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration"})
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({DispatcherServlet.class, DispatcherServletPath.class})
@ConditionalOnBean(name = "handlerExceptionResolver")
@ConditionalOnBooleanProperty(name = "flotilla.tx.participant.hot-path", matchIfMissing = true)
@Conditional(ParticipantSignatureAutoConfiguration.OnParticipantEndpoints.class)
public class ParticipantHotPathAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(name = "flotillaPhaseTwoHotPathFilter")
    FilterRegistrationBean<PhaseTwoHotPathFilter> flotillaPhaseTwoHotPathFilter(TxProperties properties,
            ObjectProvider<TccParticipantController> tcc, ObjectProvider<XaParticipantController> xa,
            ObjectProvider<MessageEndpoints> messages, ObjectProvider<PhaseTwoBatchController> batches,
            ObjectProvider<JsonMapper> json,
            ObjectProvider<DispatcherServletPath> dispatcherServletPath,
            @Qualifier("handlerExceptionResolver") HandlerExceptionResolver exceptionResolver) {
        String prefix = properties.getParticipant().getPathPrefix();
        FilterRegistrationBean<PhaseTwoHotPathFilter> registration = new FilterRegistrationBean<>(
                new PhaseTwoHotPathFilter(prefix, tcc.getIfAvailable(), xa.getIfAvailable(), messages.getIfAvailable(),
                        batches.getIfAvailable(), json.getIfAvailable(() -> JsonMapper.builder().build()), exceptionResolver));
        registration.addUrlPatterns(prefix + "/*");
        // Last, so that every filter of the application (security, logging, the signature check) still sees the call.
        registration.setOrder(Ordered.LOWEST_PRECEDENCE);
        // The controllers are under the DispatcherServlet's path; with one other than "/" the filter's paths are not
        // theirs, so the controllers keep every call.
        DispatcherServletPath servletPath = dispatcherServletPath.getIfAvailable();
        registration.setEnabled(servletPath == null || servletPath.getPrefix().isEmpty());
        return registration;
    }
}
