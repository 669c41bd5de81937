package io.flotilla.web.problems;

import org.apache.catalina.Context;
import org.apache.catalina.Host;
import org.apache.catalina.Valve;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/**
 * Problem details for every error of a servlet service, including the ones Spring never sees: Tomcat's error
 * report ({@link ProblemErrorReportValve}), Spring Boot's error path ({@link ProblemErrorController}), a body
 * size limit ({@link RequestBodyLimitFilter}) and parameters that cannot be read ({@link RequestParametersFilter}).
 */
@AutoConfiguration(beforeName = "org.springframework.boot.webmvc.autoconfigure.error.ErrorMvcAutoConfiguration")
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@EnableConfigurationProperties(WebProblemsProperties.class)
public class WebProblemsAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(ErrorController.class)
    ProblemErrorController flotillaProblemErrorController() {
        return new ProblemErrorController();
    }

    @Bean
    FilterRegistrationBean<RequestBodyLimitFilter> flotillaRequestBodyLimitFilter(WebProblemsProperties properties) {
        FilterRegistrationBean<RequestBodyLimitFilter> registration = new FilterRegistrationBean<>(
                new RequestBodyLimitFilter(properties.getMaxRequestBody().toBytes()));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }

    @Bean
    FilterRegistrationBean<RequestParametersFilter> flotillaRequestParametersFilter() {
        FilterRegistrationBean<RequestParametersFilter> registration = new FilterRegistrationBean<>(
                new RequestParametersFilter());
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 1);
        return registration;
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(TomcatServletWebServerFactory.class)
    static class TomcatErrorReportConfiguration {

        /**
         * Runs after Spring Boot's own customizer, which puts a plain {@link ErrorReportValve} on the host, and
         * replaces that valve.
         */
        @Bean
        WebServerFactoryCustomizer<TomcatServletWebServerFactory> flotillaProblemErrorReport() {
            return new WebServerFactoryCustomizer<>() {
                @Override
                public void customize(TomcatServletWebServerFactory factory) {
                    factory.addContextCustomizers(WebProblemsAutoConfiguration::replaceErrorReportValve);
                }
            };
        }
    }

    static void replaceErrorReportValve(Context context) {
        Host host = (Host) context.getParent();
        for (Valve valve : host.getPipeline().getValves()) {
            if (valve instanceof ErrorReportValve) {
                host.getPipeline().removeValve(valve);
            }
        }
        host.getPipeline().addValve(new ProblemErrorReportValve());
        if (host instanceof StandardHost standardHost) {
            // Otherwise the host adds Tomcat's own valve when it starts.
            standardHost.setErrorReportValveClass(ProblemErrorReportValve.class.getName());
        }
    }
}
