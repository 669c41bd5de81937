package io.flotilla.txcoordinator.config;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * How the coordinator drives transactions, under {@code flotilla.coordinator}. The node's Raft settings (node-id,
 * raft-port, peers, data-dir, token, ...) share the prefix and are bound to a {@code RaftServerProperties} (see
 * platform/raft-server). The tx starter's settings are {@code flotilla.tx.*} in the applications that use it.
 */
@ConfigurationProperties(CoordinatorProperties.PREFIX)
public class CoordinatorProperties {

    /** Prefix of the coordinator's settings. */
    public static final String PREFIX = "flotilla.coordinator";

    /** Timeout of a transaction begun without timeoutMs. */
    private Duration defaultTimeout = Duration.ofSeconds(60);

    /** How often the leader looks for ACTIVE transactions past their timeout. */
    private Duration timeoutSweepInterval = Duration.ofSeconds(1);

    /** How long finished transactions stay queryable before the leader purges them from the replicated state. */
    private Duration retention = Duration.ofMinutes(10);

    /**
     * At most this many finished transactions are kept (in every node's heap and every snapshot); beyond it the
     * leader purges the oldest before their retention ends. 20,000 keeps the whole retention at up to 33
     * transactions/s, in 6 MB of heap for empty transactions (measured: 48,000 took 15 MB) and about 25 MB for
     * two-branch ones, whose branches carry their participants' URLs.
     */
    private int retentionLimit = 20_000;

    private final PhaseTwo phaseTwo = new PhaseTwo();

    public Duration getDefaultTimeout() {
        return defaultTimeout;
    }

    public void setDefaultTimeout(Duration defaultTimeout) {
        this.defaultTimeout = defaultTimeout;
    }

    public Duration getTimeoutSweepInterval() {
        return timeoutSweepInterval;
    }

    public void setTimeoutSweepInterval(Duration timeoutSweepInterval) {
        this.timeoutSweepInterval = timeoutSweepInterval;
    }

    public Duration getRetention() {
        return retention;
    }

    public void setRetention(Duration retention) {
        this.retention = retention;
    }

    public int getRetentionLimit() {
        return retentionLimit;
    }

    public void setRetentionLimit(int retentionLimit) {
        if (retentionLimit < 1) {
            throw new IllegalArgumentException("flotilla.coordinator.retention-limit must be at least 1, got " + retentionLimit);
        }
        this.retentionLimit = retentionLimit;
    }

    public PhaseTwo getPhaseTwo() {
        return phaseTwo;
    }

    /** Retries of confirm/cancel (commit/rollback) calls to the participants. */
    public static class PhaseTwo {

        /** Delay before the first retry of a failed call; doubles per failure up to max-backoff. */
        private Duration initialBackoff = Duration.ofMillis(100);

        /** Longest delay between two retries; flagged branches keep retrying at this interval. */
        private Duration maxBackoff = Duration.ofSeconds(30);

        /** Failed attempts after which a branch is flagged (metric and list) for an operator. */
        private int alertAfterAttempts = 10;

        /** Time limit of one call to a participant, connection included. */
        private Duration callTimeout = Duration.ofSeconds(5);

        /** How often the leader re-reads the log for phase-two work it is not yet doing. */
        private Duration reconcileInterval = Duration.ofSeconds(2);

        /**
         * Shared secrets the calls to participants are signed with (HMAC-SHA256, at least 32 characters each);
         * the first one signs, the others are kept for rotation. Without one the calls go unsigned, which
         * participants refuse unless they opted out.
         */
        private List<String> signingKeys = new ArrayList<>();

        public Duration getInitialBackoff() {
            return initialBackoff;
        }

        public void setInitialBackoff(Duration initialBackoff) {
            this.initialBackoff = initialBackoff;
        }

        public Duration getMaxBackoff() {
            return maxBackoff;
        }

        public void setMaxBackoff(Duration maxBackoff) {
            this.maxBackoff = maxBackoff;
        }

        public int getAlertAfterAttempts() {
            return alertAfterAttempts;
        }

        public void setAlertAfterAttempts(int alertAfterAttempts) {
            this.alertAfterAttempts = alertAfterAttempts;
        }

        public Duration getCallTimeout() {
            return callTimeout;
        }

        public void setCallTimeout(Duration callTimeout) {
            this.callTimeout = callTimeout;
        }

        public List<String> getSigningKeys() {
            return signingKeys;
        }

        public void setSigningKeys(List<String> signingKeys) {
            this.signingKeys = signingKeys;
        }

        public Duration getReconcileInterval() {
            return reconcileInterval;
        }

        public void setReconcileInterval(Duration reconcileInterval) {
            this.reconcileInterval = reconcileInterval;
        }
    }
}
