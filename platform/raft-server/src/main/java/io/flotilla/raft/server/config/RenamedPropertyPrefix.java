package io.flotilla.raft.server.config;

import org.apache.commons.logging.Log;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.BindResult;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Keeps a service's settings working under the prefix of the previous release for one more release: each listed
 * name set under {@code oldPrefix} (in any form Spring Boot binds: properties, YAML, {@code FLOTILLA_..._NODE_ID}
 * environment variables, command-line arguments) is copied to {@code newPrefix} with a deprecation warning, unless
 * the new name is set too (then the old one is ignored, with a warning). A service registers one subclass in
 * {@code META-INF/spring.factories}; its configuration metadata marks the old names deprecated with their
 * replacement. It acts only in the service's own application: elsewhere on a class path (a test that also runs a
 * client starter) the old prefix belongs to the client. Properties a test adds after the environment is prepared
 * ({@code @DynamicPropertySource}) are not seen: tests use the new names.
 */
public abstract class RenamedPropertyPrefix implements EnvironmentPostProcessor {

    private final Log log;
    private final Class<?> application;
    private final String oldPrefix;
    private final String newPrefix;
    private final List<String> names;

    /**
     * @param application the service's application class: the renaming applies only where it runs
     * @param names       the names under both prefixes, in canonical form ({@code node-id}, {@code phase-two.call-timeout})
     */
    protected RenamedPropertyPrefix(DeferredLogFactory logs, Class<?> application, String oldPrefix,
                                    String newPrefix, List<String> names) {
        this.log = logs.getLog(getClass());
        this.application = application;
        this.oldPrefix = oldPrefix;
        this.newPrefix = newPrefix;
        this.names = List.copyOf(names);
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication springApplication) {
        if (!springApplication.getAllSources().contains(application)) {
            return;
        }
        Binder binder = Binder.get(environment);
        Map<String, Object> renamed = new LinkedHashMap<>();
        for (String name : names) {
            Optional<String> old = value(binder, oldPrefix + "." + name);
            if (old.isEmpty()) {
                continue;
            }
            if (value(binder, newPrefix + "." + name).isPresent()) {
                log.warn(oldPrefix + "." + name + " is deprecated and ignored: " + newPrefix + "." + name
                        + " is set too");
                continue;
            }
            log.warn(oldPrefix + "." + name + " is deprecated: use " + newPrefix + "." + name
                    + " (the old name stops working in the next release)");
            renamed.put(newPrefix + "." + name, old.get());
        }
        if (!renamed.isEmpty()) {
            environment.getPropertySources().addLast(new MapPropertySource("renamed " + oldPrefix, renamed));
        }
    }

    /** The value as one string, lists (peers) joined with commas, whichever form they were given in. */
    private static Optional<String> value(Binder binder, String name) {
        BindResult<String> value = binder.bind(name, Bindable.listOf(String.class))
                .map(values -> String.join(",", values));
        return value.isBound() ? Optional.of(value.get()) : Optional.empty();
    }

    /** The settings every Raft-backed service has ({@link io.flotilla.raft.server.RaftServerProperties}). */
    protected static List<String> raftServerNames() {
        return List.of("node-id", "raft-host", "raft-port", "http-port", "peers", "joining", "data-dir",
                "election-timeout-min", "election-timeout-max", "heartbeat-interval", "snapshot-threshold", "token",
                "submit-timeout", "read-timeout", "forward-timeout");
    }
}
