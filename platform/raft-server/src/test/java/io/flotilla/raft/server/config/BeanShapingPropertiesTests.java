package io.flotilla.raft.server.config;

import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

class BeanShapingPropertiesTests {

    @Test
    void recordsTheBeanShapingKeysTheEnvironmentSetsAndNothingElse() {
        Properties values = BeanShapingProperties.of(environment(Map.of(
                "flotilla.registry.server.console.enabled", "false",
                "management.endpoints.web.exposure.include", "health, info",
                "flotilla.registry.server.node-id", "n2")));

        assertThat(values).containsOnly(
                Map.entry("flotilla.registry.server.console.enabled", "false"),
                Map.entry("management.endpoints.web.exposure.include", "health, info"));
    }

    @Test
    void everyEnabledSwitchOfSpringTheActuatorAndFlotillaShapesBeansAndSpringsAotSwitchDoesNot() {
        assertThat(BeanShapingProperties.shapesBeans("management.health.db.enabled")).isTrue();
        assertThat(BeanShapingProperties.shapesBeans("springdoc.api-docs.enabled")).isTrue();
        assertThat(BeanShapingProperties.shapesBeans("springdoc.show-actuator")).isTrue();
        assertThat(BeanShapingProperties.shapesBeans("flotilla.registry.server.console.enabled")).isTrue();
        assertThat(BeanShapingProperties.shapesBeans("management.endpoint.metrics.access")).isTrue();
        assertThat(BeanShapingProperties.shapesBeans("management.endpoints.web.exposure.include[0]")).isTrue();
        assertThat(BeanShapingProperties.shapesBeans("spring.aot.enabled")).isFalse();
        assertThat(BeanShapingProperties.shapesBeans("jdk.tls.enabled")).isFalse();
        assertThat(BeanShapingProperties.shapesBeans("flotilla.registry.server.max-wait")).isFalse();
    }

    @Test
    void seesAnEnvironmentVariableAsSpringBootBindsIt() {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                        Map.of("FLOTILLA_REGISTRY_SERVER_CONSOLE_ENABLED", "false")));
        ConfigurationPropertySources.attach(environment);

        assertThat(BeanShapingProperties.of(environment))
                .containsEntry("flotilla.registry.server.console.enabled", "false");
    }

    @Test
    void theRecordReadsBackTheSameAndCarriesNoDate() {
        Properties values = BeanShapingProperties.of(environment(Map.of(
                "management.endpoints.web.exposure.include", "health, info, prometheus",
                "spring.threads.virtual.enabled", "true")));

        String text = BeanShapingProperties.text(values);

        assertThat(text).doesNotContain("#")
                .isEqualTo("management.endpoints.web.exposure.include=health, info, prometheus\n"
                        + "spring.threads.virtual.enabled=true\n");
        assertThat(BeanShapingProperties.parse(text)).isEqualTo(values);
    }

    @Test
    void aValueChangedSetOrUnsetIsADifferenceAndTheSameValuesAreNone() {
        Properties built = BeanShapingProperties.parse("""
                spring.threads.virtual.enabled=true
                management.endpoints.web.exposure.include=health
                """);

        assertThat(BeanShapingProperties.differences(built, built)).isEmpty();
        Properties now = BeanShapingProperties.parse("""
                spring.threads.virtual.enabled=false
                flotilla.registry.server.console.enabled=false
                """);
        assertThat(BeanShapingProperties.differences(built, now)).containsExactlyInAnyOrder(
                "spring.threads.virtual.enabled=false (built with true)",
                "management.endpoints.web.exposure.include=(unset) (built with health)",
                "flotilla.registry.server.console.enabled=false (built with (unset))");
    }

    private static StandardEnvironment environment(Map<String, Object> values) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("test", values));
        return environment;
    }
}
