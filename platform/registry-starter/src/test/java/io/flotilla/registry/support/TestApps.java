package io.flotilla.registry.support;

import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Spring Boot applications using the starter, pointed at a test registry. They read no application.yml (the
 * registry-service's one is on the test class path too) and have everything passed as arguments.
 */
public final class TestApps {

    private TestApps() {
    }

    /** A plain application: only what auto-configuration brings. */
    @SpringBootApplication(proxyBeanMethods = false)
    public static class ClientApp {
    }

    /** Starts a web application on a free port that registers itself as {@code service}. */
    public static ConfigurableApplicationContext web(String service, List<String> registryAddresses, String... args) {
        return run(WebApplicationType.SERVLET, service, registryAddresses, args);
    }

    /** Starts an application without a web server: discovery only. */
    public static ConfigurableApplicationContext discoveryOnly(String name, List<String> registryAddresses,
            String... args) {
        return run(WebApplicationType.NONE, name, registryAddresses, args);
    }

    private static ConfigurableApplicationContext run(WebApplicationType type, String name,
            List<String> registryAddresses, String... extraArgs) {
        return run(ClientApp.class, type, name, registryAddresses, extraArgs);
    }

    /** Starts {@code source} (a configuration of the test's own) as {@code name}, with the starter's arguments. */
    public static ConfigurableApplicationContext run(Class<?> source, WebApplicationType type, String name,
            List<String> registryAddresses, String... extraArgs) {
        List<String> args = new ArrayList<>(List.of("--spring.config.name=registry-starter-tests",
                "--spring.application.name=" + name, "--server.port=0", "--spring.jmx.enabled=false",
                "--flotilla.registry.host=127.0.0.1", "--flotilla.registry.addresses="
                        + String.join(",", registryAddresses),
                // The id starter is on the test class path for the worker-id tests; these apps issue no ids.
                "--spring.autoconfigure.exclude=io.flotilla.id.config.IdAutoConfiguration"));
        args.addAll(List.of(extraArgs));
        return new SpringApplicationBuilder(source).web(type).run(args.toArray(String[]::new));
    }
}
