package io.flotilla.e2e.compose;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The configuration properties one module understands: its own and its Flotilla dependencies'
 * {@code spring-configuration-metadata.json} and {@code application.yml} keys, plus every property Spring Boot
 * and Spring Cloud declare (found on this module's test classpath).
 *
 * <p>Whether an environment variable sets a property is decided by Spring Boot's own relaxed binding (a
 * {@link SystemEnvironmentPropertySource}), so the check agrees with what the service will really do.
 */
public final class ModuleProperties {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern ARTIFACT_ID = Pattern.compile("<artifactId>(flotilla-[a-z0-9-]+|[a-z]+-service|gateway)</artifactId>");

    private final Set<String> exactNames;
    private final Set<String> mapPrefixes;

    private ModuleProperties(Set<String> exactNames, Set<String> mapPrefixes) {
        this.exactNames = exactNames;
        this.mapPrefixes = mapPrefixes;
    }

    /** Properties of the module in {@code root/moduleDir}, following its Flotilla dependencies. */
    public static ModuleProperties of(Path root, String moduleDir) {
        Set<String> exact = new HashSet<>();
        Set<String> maps = new HashSet<>();
        Map<String, Path> modulesByArtifact = Modules.byArtifactId(root);
        collect(root.resolve(moduleDir), modulesByArtifact, exact, maps, new HashSet<>());
        readClasspathMetadata(exact, maps);
        return new ModuleProperties(exact, maps);
    }

    /** The property an environment variable binds to, if the module knows one. */
    public Optional<String> propertyFor(String variable, String value) {
        ConfigurationPropertySource source = ConfigurationPropertySources.from(new SystemEnvironmentPropertySource(
                        StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, Map.of(variable, value)))
                .iterator().next();
        for (String name : exactNames) {
            if (ConfigurationPropertyName.isValid(name)
                    && source.getConfigurationProperty(ConfigurationPropertyName.of(name)) != null) {
                return Optional.of(name);
            }
        }
        for (String prefix : mapPrefixes) {
            if (ConfigurationPropertyName.isValid(prefix) && source.containsDescendantOf(ConfigurationPropertyName.of(prefix))
                    == org.springframework.boot.context.properties.source.ConfigurationPropertyState.PRESENT) {
                return Optional.of(prefix + ".*");
            }
        }
        return Optional.empty();
    }

    private static void collect(Path module, Map<String, Path> modulesByArtifact, Set<String> exact, Set<String> maps,
                                Set<Path> seen) {
        if (!seen.add(module)) {
            return;
        }
        Path metadata = module.resolve("target/classes/META-INF/spring-configuration-metadata.json");
        if (Files.exists(metadata)) {
            try (InputStream in = Files.newInputStream(metadata)) {
                readMetadata(in, exact, maps);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        for (String config : List.of("application.yml", "application.yaml")) {
            Path yml = module.resolve("src/main/resources").resolve(config);
            if (Files.exists(yml)) {
                readYamlKeys(yml, exact);
            }
        }
        for (String artifactId : flotillaDependencies(module)) {
            Path dependency = modulesByArtifact.get(artifactId);
            if (dependency != null) {
                collect(dependency, modulesByArtifact, exact, maps, seen);
            }
        }
    }

    private static List<String> flotillaDependencies(Path module) {
        try {
            String pom = Files.readString(module.resolve("pom.xml"));
            String dependencies = pom.substring(Math.max(0, pom.indexOf("<dependencies>")));
            Matcher matcher = ARTIFACT_ID.matcher(dependencies);
            List<String> found = new ArrayList<>();
            while (matcher.find()) {
                found.add(matcher.group(1));
            }
            return found;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void readClasspathMetadata(Set<String> exact, Set<String> maps) {
        try {
            for (URL url : Collections.list(ModuleProperties.class.getClassLoader()
                    .getResources("META-INF/spring-configuration-metadata.json"))) {
                try (InputStream in = url.openStream()) {
                    Set<String> libraryExact = new HashSet<>();
                    Set<String> libraryMaps = new HashSet<>();
                    readMetadata(in, libraryExact, libraryMaps);
                    // Flotilla's own properties count only when the module (or a Flotilla dependency) declares them.
                    libraryExact.stream().filter(name -> !name.startsWith("flotilla.")).forEach(exact::add);
                    libraryMaps.stream().filter(name -> !name.startsWith("flotilla.")).forEach(maps::add);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void readMetadata(InputStream in, Set<String> exact, Set<String> maps) throws IOException {
        JsonNode properties = JSON.readTree(in).path("properties");
        for (JsonNode property : properties) {
            String name = property.path("name").asText();
            String type = property.path("type").asText("");
            exact.add(name);
            if (type.startsWith("java.util.Map") || type.startsWith("java.util.List")) {
                maps.add(name);
            }
        }
    }

    private static void readYamlKeys(Path yml, Set<String> exact) {
        try (Reader reader = Files.newBufferedReader(yml)) {
            for (Object document : new Yaml().loadAll(reader)) {
                if (document instanceof Map<?, ?> map) {
                    flatten("", map, exact);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void flatten(String prefix, Map<?, ?> map, Set<String> into) {
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            String key = prefix.isEmpty() ? String.valueOf(entry.getKey()) : prefix + "." + entry.getKey();
            if (entry.getValue() instanceof Map<?, ?> child) {
                flatten(key, child, into);
            } else {
                into.add(key);
            }
        }
    }

    /** The modules of the build, found by walking the repository for {@code pom.xml} files. */
    static final class Modules {

        private Modules() {
        }

        static Map<String, Path> byArtifactId(Path root) {
            Map<String, Path> modules = new java.util.HashMap<>();
            for (Path pom : poms(root)) {
                artifactIdOf(pom).ifPresent(artifactId -> modules.put(artifactId, pom.getParent()));
            }
            return modules;
        }

        private static Set<Path> poms(Path root) {
            Set<Path> poms = new LinkedHashSet<>();
            try (var paths = Files.walk(root, 3)) {
                paths.filter(path -> path.getFileName().toString().equals("pom.xml"))
                        .filter(path -> !path.toString().contains("/target/"))
                        .forEach(poms::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return poms;
        }

        private static Optional<String> artifactIdOf(Path pom) {
            try {
                String text = Files.readString(pom);
                int parentEnd = text.indexOf("</parent>");
                Matcher matcher = Pattern.compile("<artifactId>([^<]+)</artifactId>")
                        .matcher(text.substring(Math.max(0, parentEnd)));
                return matcher.find() ? Optional.of(matcher.group(1)) : Optional.empty();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
