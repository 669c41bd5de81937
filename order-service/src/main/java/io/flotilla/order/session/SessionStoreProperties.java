package io.flotilla.order.session;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Where the HTTP sessions live ({@link SessionStoreEnvironmentPostProcessor} acts on it before start-up).
 *
 * @param store jdbc (the orders database, default), redis ({@code spring.data.redis.*}) or none (in the memory of
 * each replica)
 */
@ConfigurationProperties("flotilla.order.session")
public record SessionStoreProperties(SessionStore store) {

    public SessionStoreProperties {
        store = store == null ? SessionStore.JDBC : store;
    }
}
