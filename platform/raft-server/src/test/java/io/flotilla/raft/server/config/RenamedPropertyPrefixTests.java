package io.flotilla.raft.server.config;

import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class RenamedPropertyPrefixTests {

    private final RenamedPropertyPrefix renamed = new RenamedPropertyPrefix("old", "old.server",
            List.of("node-id", "peers", "phase-two.call-timeout"));

    @Test
    void oldNamesInAnyFormSetTheNewOnesUnlessTheNewOnesAreSet() {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("args", Map.of(
                "old.node-id", "n2", "old.phase-two.call-timeout", "3s", "old.server.phase-two.call-timeout", "7s")));
        environment.getPropertySources().addFirst(new SystemEnvironmentPropertySource("env",
                Map.of("OLD_PEERS", "n1@h:1,n2@h:2")));

        renamed.rename(environment);

        Binder binder = Binder.get(environment);
        assertThat(binder.bind("old.server.node-id", String.class).get()).isEqualTo("n2");
        assertThat(binder.bind("old.server.peers", Bindable.listOf(String.class)).get()).containsExactly("n1@h:1", "n2@h:2");
        assertThat(binder.bind("old.server.phase-two.call-timeout", String.class).get()).as("the new name wins")
                .isEqualTo("7s");
    }
}
