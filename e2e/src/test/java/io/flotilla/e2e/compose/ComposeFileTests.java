package io.flotilla.e2e.compose;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * There is no Docker engine where the tests run, so docker-compose.yml is checked by reading it: every service
 * is built from a real module or is a known image, its environment sets properties that module understands, its
 * published port is the port it listens on, it has a health check, and every service it talks to is a declared,
 * healthy dependency.
 */
class ComposeFileTests {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Set<String> INFRASTRUCTURE_IMAGES = Set.of("redis", "postgres");
    private static final Pattern HOST_REFERENCE = Pattern.compile("(?:^|[/@,=\\s])([a-z][a-z0-9-]*):(\\d{2,5})");

    private static Map<String, Map<String, Object>> services;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void readComposeFile() throws IOException {
        try (Reader reader = Files.newBufferedReader(ROOT.resolve("docker-compose.yml"))) {
            Map<String, Object> compose = new Yaml().load(reader);
            services = (Map<String, Map<String, Object>>) compose.get("services");
        }
    }

    @Test
    void everyServiceIsBuiltFromARealModuleOrIsKnownInfrastructure() {
        assertThat(services).isNotEmpty();
        services.forEach((name, service) -> {
            String module = moduleOf(service);
            if (module == null) {
                assertThat(String.valueOf(service.get("image")))
                        .as("service %s has no build and is not known infrastructure", name)
                        .matches(image -> INFRASTRUCTURE_IMAGES.stream().anyMatch(image::startsWith));
            } else {
                assertThat(ROOT.resolve(module).resolve("pom.xml")).as("module of %s", name).exists();
                assertThat(ROOT.resolve(module).resolve("src/main/resources/application.yml"))
                        .as("%s is a Spring Boot service", name).exists();
            }
        });
    }

    @Test
    void everyEnvironmentVariableSetsAPropertyItsModuleUnderstands() {
        List<String> unknown = new ArrayList<>();
        services.forEach((name, service) -> {
            String module = moduleOf(service);
            if (module == null) {
                return;
            }
            ModuleProperties properties = ModuleProperties.of(ROOT, module);
            environment(service).forEach((variable, value) -> {
                if (variable.equals("JAVA_TOOL_OPTIONS")) {
                    return;
                }
                if (properties.propertyFor(variable, value).isEmpty()) {
                    unknown.add(name + ": " + variable);
                }
            });
        });
        assertThat(unknown).as("environment variables that bind to no property of their module").isEmpty();
    }

    @Test
    void everyPublishedPortIsThePortTheServiceListensOn() {
        services.forEach((name, service) -> {
            String module = moduleOf(service);
            if (module == null) {
                return;
            }
            String listening = environment(service).getOrDefault("SERVER_PORT", defaultServerPort(module));
            for (Object mapping : (List<?>) service.getOrDefault("ports", List.of())) {
                String containerPort = String.valueOf(mapping).replaceAll(".*:", "");
                assertThat(containerPort).as("%s publishes a port it does not listen on", name).isEqualTo(listening);
            }
        });
    }

    @Test
    void everyServiceHasAHealthCheckAndWaitsForTheHealthOfWhatItCalls() {
        services.forEach((name, service) -> {
            assertThat(service).as("%s has a health check", name).containsKey("healthcheck");
            Map<String, Object> dependsOn = dependsOn(service);
            for (String called : referencedServices(service)) {
                if (called.equals(name) || isPeer(service, services.get(called))) {
                    continue;
                }
                assertThat(services).as("%s refers to an undeclared service %s", name, called).containsKey(called);
                assertThat(dependsOn).as("%s calls %s but does not depend on it", name, called).containsKey(called);
            }
            dependsOn.forEach((dependency, condition) -> {
                assertThat(services).as("%s depends on an undeclared service", name).containsKey(dependency);
                assertThat(String.valueOf(condition)).as("%s -> %s", name, dependency).contains("service_healthy");
            });
        });
    }

    /** Raft peers (same module) name each other but start together: they cannot wait for one another. */
    private static boolean isPeer(Map<String, Object> service, Map<String, Object> other) {
        String module = moduleOf(service);
        return other != null && module != null && module.equals(moduleOf(other));
    }

    private static String moduleOf(Map<String, Object> service) {
        if (!(service.get("build") instanceof Map<?, ?> build)) {
            return null;
        }
        Object args = build.get("args");
        return args instanceof Map<?, ?> map ? String.valueOf(map.get("MODULE")) : null;
    }

    private static Map<String, String> environment(Map<String, Object> service) {
        Map<String, String> environment = new LinkedHashMap<>();
        Object declared = service.get("environment");
        if (declared instanceof Map<?, ?> map) {
            map.forEach((key, value) -> environment.put(String.valueOf(key), String.valueOf(value)));
        } else if (declared instanceof List<?> list) {
            for (Object entry : list) {
                String[] parts = String.valueOf(entry).split("=", 2);
                environment.put(parts[0], parts.length > 1 ? parts[1] : "");
            }
        }
        return environment;
    }

    private static Map<String, Object> dependsOn(Map<String, Object> service) {
        Map<String, Object> dependsOn = new LinkedHashMap<>();
        Object declared = service.get("depends_on");
        if (declared instanceof Map<?, ?> map) {
            map.forEach((key, value) -> dependsOn.put(String.valueOf(key), value));
        } else if (declared instanceof List<?> list) {
            list.forEach(key -> dependsOn.put(String.valueOf(key), "service_started"));
        }
        return dependsOn;
    }

    /** Other compose services this one names as {@code host:port} in its environment. */
    private static Set<String> referencedServices(Map<String, Object> service) {
        Set<String> referenced = new java.util.TreeSet<>();
        for (String value : environment(service).values()) {
            Matcher matcher = HOST_REFERENCE.matcher(value);
            while (matcher.find()) {
                if (!matcher.group(1).equals("localhost")) {
                    referenced.add(matcher.group(1));
                }
            }
        }
        return referenced;
    }

    private static String defaultServerPort(String module) {
        try {
            Map<String, Object> yml = new Yaml().load(Files.readString(ROOT.resolve(module).resolve("src/main/resources/application.yml")));
            Object server = yml == null ? null : yml.get("server");
            return server instanceof Map<?, ?> map ? String.valueOf(map.get("port")) : "8080";
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
