package io.flotilla.raft.server.config;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.aot.AotDetector;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.core.SpringProperties;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.DefaultResourceLoader;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class BuildTimeBeanDefinitionsTests {

    private final DeferredLogFactory logs = supplier -> supplier.get();
    @BeforeEach
    @AfterEach
    void leaveAotModeUnset() {
        SpringProperties.setProperty(AotDetector.AOT_ENABLED, null);
    }

    @Test
    void aClassFromAJarIsPackagedAndOneFromAClassesDirectoryIsNot() {
        assertThat(BuildTimeBeanDefinitions.loadedFromJar(Test.class)).isTrue();
        assertThat(BuildTimeBeanDefinitions.loadedFromJar(BuildTimeBeanDefinitionsTests.class)).isFalse();
    }

    @Test
    void staysOffWithoutGeneratedDefinitionsOrOutsideAJar() {
        assertThat(BuildTimeBeanDefinitions.generated(Test.class)).isFalse();

        BuildTimeBeanDefinitions.useWhenPackaged(Test.class);
        BuildTimeBeanDefinitions.useWhenPackaged(BuildTimeBeanDefinitionsTests.class);

        assertThat(SpringProperties.getProperty(AotDetector.AOT_ENABLED)).isNull();
    }

    @Test
    void aStartWhoseBeanShapingValuesDifferFromTheBuildsLeavesAotMode(@TempDir Path classes) throws IOException {
        SpringApplication application = applicationRecording(classes,
                "flotilla.registry.server.console.enabled=true\n");
        SpringProperties.setProperty(AotDetector.AOT_ENABLED, "true");

        new BuildTimeBeanDefinitionsCheck(logs).postProcessEnvironment(
                environment(Map.of("flotilla.registry.server.console.enabled", "false")), application);

        assertThat(SpringProperties.getProperty(AotDetector.AOT_ENABLED)).isEqualTo("false");
    }

    @Test
    void aStartWithTheBuildsValuesStaysInAotMode(@TempDir Path classes) throws IOException {
        SpringApplication application = applicationRecording(classes, "spring.threads.virtual.enabled=true\n");
        SpringProperties.setProperty(AotDetector.AOT_ENABLED, "true");

        new BuildTimeBeanDefinitionsCheck(logs).postProcessEnvironment(
                environment(Map.of("spring.threads.virtual.enabled", "true", "server.port", "0")), application);

        assertThat(SpringProperties.getProperty(AotDetector.AOT_ENABLED)).isEqualTo("true");
    }

    @Test
    void outsideAotModeTheCheckChangesNothing(@TempDir Path classes) throws IOException {
        SpringApplication application = applicationRecording(classes, "spring.threads.virtual.enabled=true\n");

        new BuildTimeBeanDefinitionsCheck(logs).postProcessEnvironment(environment(Map.of()), application);

        assertThat(SpringProperties.getProperty(AotDetector.AOT_ENABLED)).isNull();
    }

    /** An application whose class path carries {@code record} where the build writes it. */
    private static SpringApplication applicationRecording(Path classes, String record) throws IOException {
        Path resource = classes.resolve(BeanShapingProperties.RESOURCE);
        Files.createDirectories(resource.getParent());
        Files.writeString(resource, record);
        ClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()}, null);
        return new SpringApplication(new DefaultResourceLoader(loader), BuildTimeBeanDefinitionsTests.class);
    }

    private static StandardEnvironment environment(Map<String, Object> values) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("test", values));
        return environment;
    }
}
