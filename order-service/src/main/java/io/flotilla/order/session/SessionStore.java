package io.flotilla.order.session;

import java.util.List;

/**
 * Where the HTTP sessions (and so the carts) of order-service live. Spring Boot picks a Spring Session store by
 * what is on the class path; order-service carries both the JDBC and the Redis one, so this choice switches off
 * the auto-configurations of the stores not chosen.
 */
public enum SessionStore {

    /** Spring Session JDBC on the orders database: every replica sharing that database shares the sessions. */
    JDBC(List.of(Names.REDIS_SESSION), true),

    /** Spring Session Data Redis on {@code spring.data.redis.*}: every replica using that Redis shares them. */
    REDIS(List.of(Names.JDBC_SESSION), false),

    /**
     * No Spring Session: the servlet container keeps each session in the memory of the replica that made it (only
     * a sticky load balancer keeps a client on it, and the session dies with the replica).
     */
    NONE(List.of(Names.JDBC_SESSION, Names.REDIS_SESSION), true);

    private final List<String> autoConfigurationsOff;

    SessionStore(List<String> storeAutoConfigurationsOff, boolean redisOff) {
        this.autoConfigurationsOff = redisOff
                ? java.util.stream.Stream.concat(storeAutoConfigurationsOff.stream(), Names.REDIS.stream()).toList()
                : storeAutoConfigurationsOff;
    }

    /** Spring Boot auto-configurations this choice switches off (by name: they need not be on the class path). */
    public List<String> autoConfigurationsOff() {
        return autoConfigurationsOff;
    }

    private static final class Names {

        static final String JDBC_SESSION = "org.springframework.boot.session.jdbc.autoconfigure.JdbcSessionAutoConfiguration";
        static final String REDIS_SESSION = "org.springframework.boot.session.data.redis.autoconfigure.SessionDataRedisAutoConfiguration";

        /** Redis itself, off unless sessions live there: no connection, and no health indicator DOWN without a Redis. */
        static final List<String> REDIS = List.of(
                "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration",
                "org.springframework.boot.data.redis.autoconfigure.DataRedisReactiveAutoConfiguration",
                "org.springframework.boot.data.redis.autoconfigure.DataRedisRepositoriesAutoConfiguration",
                "org.springframework.boot.data.redis.autoconfigure.health.DataRedisHealthContributorAutoConfiguration",
                "org.springframework.boot.data.redis.autoconfigure.health.DataRedisReactiveHealthContributorAutoConfiguration",
                "org.springframework.boot.data.redis.autoconfigure.observation.LettuceObservationAutoConfiguration");
    }
}
