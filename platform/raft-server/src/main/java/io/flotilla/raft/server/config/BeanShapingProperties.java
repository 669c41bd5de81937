package io.flotilla.raft.server.config;

import org.springframework.aot.AotDetector;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.core.env.ConfigurableEnvironment;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The properties that decide which beans a Raft service has (a {@code @Conditional} reads them), so that Spring
 * AOT's build-time bean definitions are right only for the values the build saw: every {@code *.enabled} switch
 * under {@code spring.}, {@code management.}, {@code server.} and {@code flotilla.}, every {@code springdoc.}
 * property, and the {@link #KEYS few others} that conditions read (profiles, the management port, the endpoints'
 * exposure and access).
 * The build records their values ({@link BeanShapingPropertiesAotProcessor}) and a start compares them with its own
 * ({@link BuildTimeBeanDefinitionsCheck}). Every other property is bound at run time as usual.
 */
final class BeanShapingProperties {

    /** Where the build's values travel with the generated classes. */
    static final String RESOURCE = "META-INF/flotilla/bean-shaping.properties";

    static final List<String> KEYS = List.of(
            "spring.profiles.active",
            "spring.main.web-application-type",
            "management.server.port",
            "management.endpoints.web.exposure.include",
            "management.endpoints.web.exposure.exclude",
            "management.endpoints.access.default");

    private static final List<String> SWITCHED_PREFIXES = List.of("spring.", "management.", "server.", "flotilla.");

    /** springdoc's conditions read more than its switches ({@code show-actuator}, {@code use-management-port}). */
    private static final String SPRINGDOC = "springdoc.";

    /** Spring's own AOT switch: unset while the build runs, set by the start it describes. */
    private static final String AOT_SWITCH = AotDetector.AOT_ENABLED;

    private BeanShapingProperties() {
    }

    /** The bean-shaping properties {@code environment} sets, with the values it gives them. */
    static Properties of(ConfigurableEnvironment environment) {
        Properties values = new Properties();
        for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
            if (source instanceof IterableConfigurationPropertySource names) {
                names.stream().map(ConfigurationPropertyName::toString).filter(BeanShapingProperties::shapesBeans)
                        .forEach(name -> {
                            String value = environment.getProperty(name);
                            if (value != null) {
                                values.setProperty(name, value);
                            }
                        });
            }
        }
        return values;
    }

    static boolean shapesBeans(String name) {
        if (name.equals(AOT_SWITCH)) {
            return false;
        }
        if (name.endsWith(".enabled") && SWITCHED_PREFIXES.stream().anyMatch(name::startsWith)) {
            return true;
        }
        return (name.startsWith("management.endpoint.") && name.endsWith(".access"))
                || name.startsWith(SPRINGDOC)
                || KEYS.stream().anyMatch(key -> name.equals(key) || name.startsWith(key + "["));
    }

    /** In the properties format, one key per line in order, without the date {@code Properties.store} adds. */
    static String text(Properties values) {
        StringWriter out = new StringWriter();
        try {
            values.store(out, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString().lines().filter(line -> !line.startsWith("#")).sorted()
                .collect(Collectors.joining("\n", "", "\n"));
    }

    static Properties parse(String text) {
        Properties values = new Properties();
        try {
            values.load(new StringReader(text));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return values;
    }

    /** What the build recorded, if this class path carries a record. */
    static Optional<Properties> recorded(ClassLoader classLoader) {
        try (InputStream in = classLoader.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                return Optional.empty();
            }
            return Optional.of(parse(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Each key whose value differs, as {@code key=now (built with then)}. */
    static List<String> differences(Properties built, Properties now) {
        Set<String> keys = new TreeSet<>(built.stringPropertyNames());
        keys.addAll(now.stringPropertyNames());
        List<String> differences = new ArrayList<>();
        for (String key : keys) {
            String then = built.getProperty(key);
            String value = now.getProperty(key);
            if (!Objects.equals(then, value)) {
                differences.add(key + "=" + (value == null ? "(unset)" : value)
                        + " (built with " + (then == null ? "(unset)" : then) + ")");
            }
        }
        return differences;
    }
}
