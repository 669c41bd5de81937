package io.flotilla.registryservice.console;

import io.flotilla.raft.server.RaftServer;
import io.flotilla.raft.server.RaftServerConfigurationException;
import io.flotilla.raft.server.RaftServerProperties;
import io.flotilla.registryservice.lease.LeaseTimers;
import io.flotilla.registryservice.store.RegistryStore;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.json.JsonMapper;

import java.time.Clock;

/**
 * The web console at {@code /ui/} (on unless {@code flotilla.registry.server.console.enabled=false}): pages
 * rendered by Thymeleaf, live parts refreshed by htmx from the registry's blocking queries.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnConsole
@EnableConfigurationProperties(ConsoleProperties.class)
class ConsoleConfiguration {

    @Bean
    ConsoleHttp consoleHttp(JsonMapper json, ConsoleProperties properties, RaftServerProperties raft,
                            ObjectProvider<SslBundles> bundles) {
        // The node's own bundle, so that its calls to its peers and to itself over https are trusted.
        var sslContext = raft.getSslBundle().isEmpty() ? null
                : bundles.getObject().getBundle(raft.getSslBundle()).createSslContext();
        return new ConsoleHttp(json, properties.getCallTimeout(), sslContext);
    }

    @Bean
    ConsoleToken consoleToken(RaftServerProperties raft) {
        return new ConsoleToken(raft);
    }

    @Bean
    InstanceWrites consoleInstanceWrites(RaftServer raft, LeaseTimers leases, ConsoleHttp http) {
        return new InstanceWrites(raft, leases, http);
    }

    @Bean
    Coordinator consoleCoordinator(ConsoleProperties properties, RegistryStore store, ConsoleHttp http) {
        String url = properties.getCoordinatorUrl().trim();
        if (!url.isEmpty() && !url.matches("https?://[^\\s/?#]+(/[^\\s?#]*)?(,.*)?")) {
            // Stop here rather than fail every transactions page later.
            throw new RaftServerConfigurationException(ConsoleProperties.PREFIX + ".coordinator-url",
                    "'" + url + "' is not an http(s) base URL",
                    "Set it to a coordinator node's address, e.g. http://127.0.0.1:8090, or leave it empty to look the "
                            + "coordinator up in this registry.");
        }
        return new Coordinator(properties, store, http);
    }

    @Bean
    RaftGroups consoleRaftGroups(RaftServer raft, ConsoleHttp http) {
        return new RaftGroups(raft, http, new LeaderChanges(), Clock.systemUTC());
    }

    @Bean
    Clock consoleClock() {
        return Clock.systemUTC();
    }
}
