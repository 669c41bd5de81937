package io.flotilla.registryservice.console;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;

/** Settings of the web console at {@code /ui/}, under {@code flotilla.registry.server.console}. */
@ConfigurationProperties(ConsoleProperties.PREFIX)
public class ConsoleProperties {

    public static final String PREFIX = "flotilla.registry.server.console";

    /** Whether the registry serves the web console at /ui/. */
    private boolean enabled = true;

    /** Base URL of the transaction coordinator (any node); empty = the first instance registered as coordinator-service. */
    private String coordinatorUrl = "";

    /** Service name under which the coordinator is looked up in this registry when no coordinator-url is set. */
    private String coordinatorService = "tx-coordinator";

    /** KV prefix of the registry lock backend (flotilla.lock.registry.key-prefix of the lock starter). */
    private String lockPrefix = "flotilla/locks/";

    /** Longest a live page's blocking query waits before it renders again (the lease countdowns move meanwhile). */
    private Duration refresh = Duration.ofSeconds(5);

    /** Time-out of each call the console makes to another node or to the coordinator. */
    private Duration callTimeout = Duration.ofSeconds(2);

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public String getCoordinatorUrl() {
        return coordinatorUrl;
    }

    public void setCoordinatorUrl(String coordinatorUrl) {
        this.coordinatorUrl = coordinatorUrl;
    }

    public String getCoordinatorService() {
        return coordinatorService;
    }

    public void setCoordinatorService(String coordinatorService) {
        this.coordinatorService = coordinatorService;
    }

    public String getLockPrefix() {
        return lockPrefix;
    }

    public void setLockPrefix(String lockPrefix) {
        this.lockPrefix = lockPrefix;
    }

    public Duration getRefresh() {
        return refresh;
    }

    public void setRefresh(Duration refresh) {
        this.refresh = refresh;
    }

    public Duration getCallTimeout() {
        return callTimeout;
    }

    public void setCallTimeout(Duration callTimeout) {
        this.callTimeout = callTimeout;
    }
}
