package io.flotilla.order.session;

import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SessionStoreEnvironmentPostProcessorTests {

    private static final String JDBC_SESSION = "org.springframework.boot.session.jdbc.autoconfigure.JdbcSessionAutoConfiguration";
    private static final String REDIS_SESSION = "org.springframework.boot.session.data.redis.autoconfigure.SessionDataRedisAutoConfiguration";
    private static final String REDIS = "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration";

    @Test
    void jdbcSwitchesRedisOff() {
        assertThat(excludedWith("jdbc")).contains(REDIS_SESSION, REDIS).doesNotContain(JDBC_SESSION);
    }

    @Test
    void redisSwitchesJdbcSessionsOffAndKeepsRedis() {
        assertThat(excludedWith("redis")).containsExactly(JDBC_SESSION);
    }

    @Test
    void noneSwitchesEverySessionStoreOff() {
        assertThat(excludedWith("NONE")).contains(JDBC_SESSION, REDIS_SESSION, REDIS);
    }

    @Test
    void theUsersOwnExclusionsStay() {
        MockEnvironment environment = new MockEnvironment().withProperty(SessionStoreEnvironmentPostProcessor.STORE, "redis")
            .withProperty("spring.autoconfigure.exclude[0]", "com.example.Mine");
        new SessionStoreEnvironmentPostProcessor().postProcessEnvironment(environment, new SpringApplication());
        assertThat(excluded(environment)).containsExactly("com.example.Mine", JDBC_SESSION);
    }

    @Test
    void withoutTheSettingNothingChanges() {
        MockEnvironment environment = new MockEnvironment();
        new SessionStoreEnvironmentPostProcessor().postProcessEnvironment(environment, new SpringApplication());
        assertThat(excluded(environment)).isEmpty();
    }

    @Test
    void anUnknownStoreStopsStartUpNamingTheProperty() {
        MockEnvironment environment = new MockEnvironment().withProperty(SessionStoreEnvironmentPostProcessor.STORE, "memcached");
        assertThatThrownBy(() -> new SessionStoreEnvironmentPostProcessor().postProcessEnvironment(environment,
                new SpringApplication())).isInstanceOf(BindException.class).hasMessageContaining("flotilla.order.session.store");
    }

    private static List<String> excludedWith(String store) {
        MockEnvironment environment = new MockEnvironment().withProperty(SessionStoreEnvironmentPostProcessor.STORE, store);
        new SessionStoreEnvironmentPostProcessor().postProcessEnvironment(environment, new SpringApplication());
        return excluded(environment);
    }

    private static List<String> excluded(MockEnvironment environment) {
        return Binder.get(environment).bind("spring.autoconfigure.exclude", Bindable.listOf(String.class)).orElse(List.of());
    }
}
