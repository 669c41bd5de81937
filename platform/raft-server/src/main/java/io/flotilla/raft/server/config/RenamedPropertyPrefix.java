package io.flotilla.raft.server.config;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.properties.bind.BindResult;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.ApplicationListener;
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
 * the new name is set too (then the old one is ignored, with a warning). The service's configuration metadata marks
 * the old names deprecated with their replacement.
 *
 * <p>The service's {@code main} adds it to its {@code SpringApplication}, so it acts only in the service itself:
 * elsewhere (an application that runs a client starter beside the service in a test) the old prefix belongs to the
 * client. It is not registered in {@code spring.factories} because the services' runnable jars, whose classes are
 * nested, also sit on other modules' test class paths. Tests use the new names.
 */
public class RenamedPropertyPrefix implements ApplicationListener<ApplicationEnvironmentPreparedEvent> {

    private static final Logger log = LoggerFactory.getLogger(RenamedPropertyPrefix.class);

    private final String oldPrefix;
    private final String newPrefix;
    private final List<String> names;

    /**
     * @param names the names under both prefixes, in canonical form ({@code node-id}, {@code phase-two.call-timeout})
     */
    public RenamedPropertyPrefix(String oldPrefix, String newPrefix, List<String> names) {
        this.oldPrefix = oldPrefix;
        this.newPrefix = newPrefix;
        this.names = List.copyOf(names);
    }

    @Override
    public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
        rename(event.getEnvironment());
    }

    void rename(ConfigurableEnvironment environment) {
        Binder binder = Binder.get(environment);
        Map<String, Object> renamed = new LinkedHashMap<>();
        for (String name : names) {
            Optional<String> old = value(binder, oldPrefix + "." + name);
            if (old.isEmpty()) {
                continue;
            }
            Optional<String> current = value(binder, newPrefix + "." + name);
            if (current.isPresent()) {
                // The same value under both names (a secrets directory shared with clients) needs no warning.
                if (!current.equals(old)) {
                    log.warn("{}.{} is deprecated and ignored: {}.{} is set too", oldPrefix, name, newPrefix, name);
                }
                continue;
            }
            log.warn("{}.{} is deprecated: use {}.{} (the old name stops working in the next release)", oldPrefix,
                    name, newPrefix, name);
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
    public static List<String> raftServerNames() {
        return List.of("node-id", "raft-host", "raft-port", "http-port", "peers", "joining", "data-dir",
                "election-timeout-min", "election-timeout-max", "heartbeat-interval", "snapshot-threshold",
                "snapshot-growth-factor", "token",
                "submit-timeout", "read-timeout", "forward-timeout");
    }
}
