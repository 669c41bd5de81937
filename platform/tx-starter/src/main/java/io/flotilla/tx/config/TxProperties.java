package io.flotilla.tx.config;

import io.flotilla.tx.xa.XaConnectionPool;
import org.springframework.boot.context.properties.ConfigurationProperties;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Client-side settings of Flotilla global transactions ({@code flotilla.tx.*}). */
@ConfigurationProperties("flotilla.tx")
public class TxProperties {

    /** Rollback timeout of global transactions begun without an explicit one. */
    private Duration defaultTimeout = Duration.ofSeconds(60);

    private final Coordinator coordinator = new Coordinator();

    private final Participant participant = new Participant();

    private final Tcc tcc = new Tcc();

    private final Xa xa = new Xa();

    public Duration getDefaultTimeout() {
        return defaultTimeout;
    }

    public void setDefaultTimeout(Duration defaultTimeout) {
        this.defaultTimeout = defaultTimeout;
    }

    public Coordinator getCoordinator() {
        return coordinator;
    }

    public Participant getParticipant() {
        return participant;
    }

    public Tcc getTcc() {
        return tcc;
    }

    public Xa getXa() {
        return xa;
    }

    public static class Coordinator {

        /** Base URLs of the coordinator nodes, tried in turn when one cannot be reached. */
        private List<URI> addresses = new ArrayList<>(List.of(URI.create("http://localhost:8090")));

        /** How long to wait for a TCP connection to a coordinator node. */
        private Duration connectTimeout = Duration.ofSeconds(2);

        /** How long to wait for a coordinator node's answer. */
        private Duration requestTimeout = Duration.ofSeconds(10);

        /** How long one call keeps going round the coordinator nodes while none can answer (an election). */
        private Duration failoverTimeout = Duration.ofSeconds(15);

        /** Bearer token sent with every call, when the coordinator requires one for writes (flotilla.coordinator.token). */
        private String token;

        /** Name of the Spring Boot SSL bundle (spring.ssl.bundle.*) for https:// coordinator nodes: its trust store holds the CA of their certificates, its key store (optional) the certificate to present when they require one. */
        private String sslBundle;

        public List<URI> getAddresses() {
            return addresses;
        }

        public void setAddresses(List<URI> addresses) {
            this.addresses = addresses;
        }

        public Duration getConnectTimeout() {
            return connectTimeout;
        }

        public void setConnectTimeout(Duration connectTimeout) {
            this.connectTimeout = connectTimeout;
        }

        public Duration getRequestTimeout() {
            return requestTimeout;
        }

        public void setRequestTimeout(Duration requestTimeout) {
            this.requestTimeout = requestTimeout;
        }

        public Duration getFailoverTimeout() {
            return failoverTimeout;
        }

        public void setFailoverTimeout(Duration failoverTimeout) {
            this.failoverTimeout = failoverTimeout;
        }

        public String getToken() {
            return token;
        }

        public void setToken(String token) {
            this.token = token;
        }

        public String getSslBundle() {
            return sslBundle;
        }

        public void setSslBundle(String sslBundle) {
            this.sslBundle = sslBundle;
        }
    }

    public static class Participant {

        /** URL at which the coordinator reaches this application; defaults to http://localhost:&lt;server port&gt;. */
        private URI baseUrl;

        /** Path prefix of the phase-two endpoints the starter exposes (confirm, cancel, commit, rollback). */
        private String pathPrefix = "/flotilla/tx";

        /**
         * Shared secrets (at least 32 characters each) of which the coordinator's phase-two calls must be signed
         * with one; list two while rotating. Required unless signature-required is false.
         */
        private List<String> signingKeys = new ArrayList<>();

        /** Whether phase-two calls must be signed; false accepts unsigned calls from anyone (development only). */
        private boolean signatureRequired = true;

        /** How far a phase-two call's signing time may be from this participant's clock before it is refused. */
        private Duration signatureMaxAge = Duration.ofMinutes(5);

        /**
         * Whether the coordinator's phase-two calls (confirm, cancel, commit, rollback, message delivery) are served
         * by a servlet filter without Spring MVC's dispatch; false leaves every call to the controllers.
         */
        private boolean hotPath = true;

        public URI getBaseUrl() {
            return baseUrl;
        }

        public void setBaseUrl(URI baseUrl) {
            this.baseUrl = baseUrl;
        }

        public String getPathPrefix() {
            return pathPrefix;
        }

        public void setPathPrefix(String pathPrefix) {
            this.pathPrefix = pathPrefix;
        }

        public List<String> getSigningKeys() {
            return signingKeys;
        }

        public void setSigningKeys(List<String> signingKeys) {
            this.signingKeys = signingKeys;
        }

        public boolean isSignatureRequired() {
            return signatureRequired;
        }

        public void setSignatureRequired(boolean signatureRequired) {
            this.signatureRequired = signatureRequired;
        }

        public Duration getSignatureMaxAge() {
            return signatureMaxAge;
        }

        public void setSignatureMaxAge(Duration signatureMaxAge) {
            this.signatureMaxAge = signatureMaxAge;
        }

        public boolean isHotPath() {
            return hotPath;
        }

        public void setHotPath(boolean hotPath) {
            this.hotPath = hotPath;
        }
    }

    public static class Tcc {

        /** Whether to create the fence table with the starter's own Flyway migration (history table flotilla_tx_schema_history). */
        private boolean initializeSchema = true;

        public boolean isInitializeSchema() {
            return initializeSchema;
        }

        public void setInitializeSchema(boolean initializeSchema) {
            this.initializeSchema = initializeSchema;
        }
    }

    public static class Xa {

        /** Whether @XaBranch methods, the XA endpoints and in-doubt branch recovery are enabled. */
        private boolean enabled = true;

        /** Tag written into this application's XA branch ids; recovery only resolves branches with it (default: spring.application.name). */
        private String recoveryTag;

        /** How often to look for in-doubt XA branches and ask the coordinator how they ended. */
        private Duration recoveryInterval = Duration.ofSeconds(30);

        private final Pool pool = new Pool();

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public String getRecoveryTag() {
            return recoveryTag;
        }

        public void setRecoveryTag(String recoveryTag) {
            this.recoveryTag = recoveryTag;
        }

        public Duration getRecoveryInterval() {
            return recoveryInterval;
        }

        public void setRecoveryInterval(Duration recoveryInterval) {
            this.recoveryInterval = recoveryInterval;
        }

        public Pool getPool() {
            return pool;
        }

        /** Physical XA connections reused by branches, phase two and recovery ({@code flotilla.tx.xa.pool.*}). */
        public static class Pool {

            /** Most XA connections at work on branches; those held for a prepared branch ({@link #maxHeld}) are not counted. */
            private int maxSize = XaConnectionPool.Settings.DEFAULTS.maxSize();

            /**
             * XA connections for phase two and recovery beside {@link #maxSize}: kept open, shared one call after the
             * other by the phase-two calls of a batch, so phase two neither waits for branch work nor opens a session
             * per call while branch work holds the {@code max-size} connections.
             */
            private int phaseTwoSize = XaConnectionPool.Settings.DEFAULTS.phaseTwoSize();

            /** How long an unused XA connection stays open before it is closed. */
            private Duration idleTimeout = XaConnectionPool.Settings.DEFAULTS.idleTimeout();

            /** How long a branch waits for an XA connection when all are in use before it fails. */
            private Duration acquireTimeout = XaConnectionPool.Settings.DEFAULTS.acquireTimeout();

            /**
             * Most connections held for prepared branches awaiting their phase two (databases that tie a prepared
             * branch to its session: MariaDB, H2); beyond it the longest-held one is closed (MariaDB: its branch
             * stays prepared), or on H2, where closing would roll the branch back, new branches wait.
             */
            private int maxHeld = XaConnectionPool.Settings.DEFAULTS.maxHeld();

            /** A connection held for a prepared branch this long without its phase two is closed (not on H2). */
            private Duration heldTimeout = XaConnectionPool.Settings.DEFAULTS.heldTimeout();

            public int getMaxSize() {
                return maxSize;
            }

            public void setMaxSize(int maxSize) {
                this.maxSize = maxSize;
            }

            public int getPhaseTwoSize() {
                return phaseTwoSize;
            }

            public void setPhaseTwoSize(int phaseTwoSize) {
                this.phaseTwoSize = phaseTwoSize;
            }

            public Duration getIdleTimeout() {
                return idleTimeout;
            }

            public void setIdleTimeout(Duration idleTimeout) {
                this.idleTimeout = idleTimeout;
            }

            public Duration getAcquireTimeout() {
                return acquireTimeout;
            }

            public void setAcquireTimeout(Duration acquireTimeout) {
                this.acquireTimeout = acquireTimeout;
            }

            public int getMaxHeld() {
                return maxHeld;
            }

            public void setMaxHeld(int maxHeld) {
                this.maxHeld = maxHeld;
            }

            public Duration getHeldTimeout() {
                return heldTimeout;
            }

            public void setHeldTimeout(Duration heldTimeout) {
                this.heldTimeout = heldTimeout;
            }

            XaConnectionPool.Settings toSettings() {
                return new XaConnectionPool.Settings(maxSize, idleTimeout, acquireTimeout, maxHeld, heldTimeout,
                        phaseTwoSize);
            }
        }
    }
}
