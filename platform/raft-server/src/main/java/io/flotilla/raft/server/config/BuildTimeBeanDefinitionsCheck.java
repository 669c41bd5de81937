package io.flotilla.raft.server.config;

import org.apache.commons.logging.Log;
import org.springframework.aot.AotDetector;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.core.Ordered;
import org.springframework.core.SpringProperties;
import org.springframework.core.env.ConfigurableEnvironment;

import java.util.List;
import java.util.Properties;

/**
 * Turns Spring's AOT mode off for this start when the configuration gives a {@link BeanShapingProperties bean-shaping
 * property} another value than the build did (say {@code flotilla.registry.server.console.enabled=false}): the
 * build-time bean definitions would not follow it, the usual start does. It runs after the configuration files are
 * read and before Spring Boot makes the application context, which is where it looks at {@code spring.aot.enabled}.
 * Registered in {@code META-INF/spring.factories}.
 */
public class BuildTimeBeanDefinitionsCheck implements EnvironmentPostProcessor, Ordered {

    private final Log log;

    public BuildTimeBeanDefinitionsCheck(DeferredLogFactory logs) {
        this.log = logs.getLog(BuildTimeBeanDefinitionsCheck.class);
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (!AotDetector.useGeneratedArtifacts()) {
            return;
        }
        Properties now = BeanShapingProperties.of(environment);
        List<String> differences = BeanShapingProperties.recorded(application.getClassLoader())
                .map(built -> BeanShapingProperties.differences(built, now))
                .orElse(List.of());
        if (differences.isEmpty()) {
            log.info("Starting from the build-time bean definitions (Spring AOT)");
        } else {
            SpringProperties.setProperty(AotDetector.AOT_ENABLED, "false");
            log.info("Starting without the build-time bean definitions, which were made for other values of "
                    + String.join(", ", differences) + " (a slower start, the same service)");
        }
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
