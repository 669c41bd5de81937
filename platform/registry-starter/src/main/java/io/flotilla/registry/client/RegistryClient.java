package io.flotilla.registry.client;

import io.flotilla.raft.client.ClusterUnavailableException;
import io.flotilla.raft.client.ContractJson;
import io.flotilla.raft.client.ContractViolationException;
import io.flotilla.raft.client.FailoverRequest;
import io.flotilla.raft.client.FailoverResponse;
import io.flotilla.raft.client.FailoverTransport;
import io.flotilla.raft.client.FlotillaHeaders;
import io.flotilla.raft.client.Repeat;
import io.flotilla.raft.client.WriteOutcome;
import io.flotilla.registry.api.HeartbeatResponse;
import io.flotilla.registry.api.InstanceView;
import io.flotilla.registry.api.KvEntry;
import io.flotilla.registry.api.KvWriteResponse;
import io.flotilla.registry.api.LeaseGrantRequest;
import io.flotilla.registry.api.LeaseResponse;
import io.flotilla.registry.api.RegistrationRequest;
import io.flotilla.registry.api.RegistrationResponse;
import io.flotilla.registry.api.SequentialKeyResponse;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import javax.net.ssl.SSLContext;

import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;

/**
 * Client of the Flotilla registry's HTTP/JSON API: service instances, the consistent core's KV and leases, and
 * blocking queries. Spring-free and thread-safe; one instance per application is enough.
 *
 * <p>
 * Every call goes through a {@link FailoverTransport}: the configured nodes in turn until one answers. Each call
 * says whether it may be repeated after an attempt whose effect is unknown ({@link Repeat}); one that may not
 * ends in a {@link RegistryUnavailableException} with {@link RegistryUnavailableException#outcomeUnknown()} set.
 * Answers are bound strictly to the registry-api records: one that does not match the contract is a
 * {@link RegistryException} naming the field. Reads are linearizable unless {@link QueryOptions} say otherwise;
 * list answers carry the registry's {@code X-Flotilla-Index} in {@link Indexed#index()}, which a blocking query
 * passes back to wait for the next change.
 */
public final class RegistryClient {

    /** {@code cas} value: write whatever the current version. */
    public static final long ANY_VERSION = -1;

    /** {@code cas} value: write only if the key does not exist. */
    public static final long CREATE_ONLY = 0;

    /** {@code leaseId} value: the key outlives every lease. */
    public static final long NO_LEASE = 0;

    private static final String OCTETS = "application/octet-stream";

    private final FailoverTransport transport;

    private RegistryClient(FailoverTransport transport) {
        this.transport = transport;
    }

    /** @return a builder; at least one address is required */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the configured node addresses, in the order they are tried */
    public List<URI> addresses() {
        return this.transport.addresses();
    }

    // ---- service instances ------------------------------------------------------------------------------------

    /**
     * Registers (or updates) an instance. Repeating it is harmless: the same instance id updates in place.
     *
     * @param service service name
     * @param spec the instance
     * @return its id and lease
     */
    public RegistrationResponse register(String service, InstanceSpec spec) {
        RegistrationRequest request = new RegistrationRequest(spec.instanceId(), spec.host(), spec.port(),
                spec.secure(), spec.metadata(), spec.zone(), spec.weight(), spec.ttl().toSeconds());
        FailoverResponse response = send(FailoverRequest.json("POST", "/v1/services/" + segment(service)
                + "/instances", ContractJson.write(request), Repeat.IDEMPOTENT));
        return read(response, RegistrationResponse.class, "register an instance of " + service, 201);
    }

    /**
     * Keeps an instance's lease alive.
     *
     * @return {@code false} when the registry no longer knows the instance (its lease expired): register again
     */
    public boolean heartbeat(String service, String instanceId) {
        FailoverResponse response = send(FailoverRequest.of("PUT",
                "/v1/services/" + segment(service) + "/instances/" + segment(instanceId) + "/heartbeat",
                Repeat.IDEMPOTENT));
        if (response.status() == 404) {
            return false;
        }
        read(response, HeartbeatResponse.class, "heartbeat " + service + "/" + instanceId, 200);
        return true;
    }

    /** Removes an instance; removing one that is already gone is not an error (the registry answers 204 to both). */
    public void deregister(String service, String instanceId) {
        FailoverResponse response = send(FailoverRequest.of("DELETE",
                "/v1/services/" + segment(service) + "/instances/" + segment(instanceId), Repeat.IDEMPOTENT));
        expectStatus(response, "deregister " + service + "/" + instanceId, 204);
    }

    /** @return names of the services that have or had instances */
    public Indexed<List<String>> services(QueryOptions options) {
        FailoverResponse response = read("/v1/services", options);
        List<String> names = read(response, new TypeReference<List<String>>() { }, "list services", 200);
        return new Indexed<>(List.copyOf(names), index(response));
    }

    /** @return the instances of {@code service} (empty when it has none or never had any) */
    public Indexed<List<InstanceView>> instances(String service, QueryOptions options) {
        FailoverResponse response = read("/v1/services/" + segment(service) + "/instances", options);
        List<InstanceView> instances = read(response, new TypeReference<List<InstanceView>>() { },
                "list instances of " + service, 200);
        return new Indexed<>(List.copyOf(instances), index(response));
    }

    // ---- KV ---------------------------------------------------------------------------------------------------

    /** @return the key's entry, or empty; a blocking query on a missing key wakes when it is created */
    public Indexed<Optional<KvEntry>> get(String key, QueryOptions options) {
        FailoverResponse response = read(kvPath(key), options);
        if (response.status() == 404) {
            return new Indexed<>(Optional.empty(), index(response));
        }
        KvEntry entry = read(response, KvEntry.class, "read key " + key, 200);
        return new Indexed<>(Optional.of(entry), index(response));
    }

    /** @return the entry of {@code key} now (linearizable), or empty */
    public Optional<KvEntry> get(String key) {
        return get(key, QueryOptions.DEFAULT).value();
    }

    /**
     * Lists every key starting with {@code prefix} (a plain string prefix, not a path), in key order. Sequential
     * keys created under one prefix therefore come back in creation order.
     */
    public Indexed<List<KvEntry>> list(String prefix, QueryOptions options) {
        FailoverResponse response = read(kvPath(prefix) + "?recurse", options);
        List<KvEntry> entries = read(response, new TypeReference<List<KvEntry>>() { }, "list keys under " + prefix,
                200);
        return new Indexed<>(List.copyOf(entries), index(response));
    }

    /**
     * Writes a key.
     *
     * @param key the key
     * @param value its new value
     * @param cas {@link #ANY_VERSION}, {@link #CREATE_ONLY}, or the {@code modIndex} the key must still have
     * @param leaseId a lease whose end deletes the key, or {@link #NO_LEASE}
     * @return the written entry's {@code modIndex}, or empty when the {@code cas} condition did not hold
     * @throws RegistryException when the lease does not exist or the input is refused
     */
    public OptionalLong put(String key, byte[] value, long cas, long leaseId) {
        StringBuilder path = new StringBuilder(kvPath(key));
        char separator = '?';
        if (cas != ANY_VERSION) {
            path.append(separator).append("cas=").append(cas);
            separator = '&';
        }
        if (leaseId != NO_LEASE) {
            path.append(separator).append("lease=").append(leaseId);
        }
        // A blind put may be repeated; a conditional one may not (a repeat would fail against its own write).
        FailoverResponse response = send(new FailoverRequest("PUT", path.toString(), value, OCTETS,
                cas == ANY_VERSION ? Repeat.IDEMPOTENT : Repeat.ONLY_IF_NOT_APPLIED, Duration.ZERO));
        if (response.status() == 409) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(read(response, KvWriteResponse.class, "write key " + key, 200).modIndex());
    }

    /** Writes a UTF-8 string value; see {@link #put(String, byte[], long, long)}. */
    public OptionalLong put(String key, String value, long cas, long leaseId) {
        return put(key, value.getBytes(StandardCharsets.UTF_8), cas, leaseId);
    }

    /**
     * Creates {@code prefix/<zero-padded index>}, attached to a lease: the building block of ZooKeeper-style
     * locks and queues. Repeated on another node only when the registry proves the first attempt was not applied,
     * since a repeat would create a second key; on {@link RegistryUnavailableException#outcomeUnknown()} look for
     * the key by its value.
     *
     * @return the created entry and the key that was just before it
     */
    public SequentialKey createSequential(String prefix, byte[] value, long leaseId) {
        String path = kvPath(prefix) + "?sequential" + (leaseId != NO_LEASE ? "&lease=" + leaseId : "");
        FailoverResponse response = send(new FailoverRequest("POST", path, value, OCTETS,
                Repeat.ONLY_IF_NOT_APPLIED, Duration.ZERO));
        SequentialKeyResponse created = read(response, SequentialKeyResponse.class,
                "create a sequential key under " + prefix, 201);
        // A sequential key is created by the write that names it: its createIndex is its modIndex.
        return new SequentialKey(new KvEntry(created.key(), value, created.modIndex(), created.modIndex(), leaseId),
                Optional.ofNullable(created.predecessor()));
    }

    /**
     * Deletes a key.
     *
     * @param cas {@link #ANY_VERSION} or the {@code modIndex} the key must still have
     * @return whether it was deleted ({@code false}: absent, or its version differed)
     */
    public boolean delete(String key, long cas) {
        String path = kvPath(key) + (cas != ANY_VERSION ? "?cas=" + cas : "");
        FailoverResponse response = send(FailoverRequest.of("DELETE", path,
                cas == ANY_VERSION ? Repeat.IDEMPOTENT : Repeat.ONLY_IF_NOT_APPLIED));
        if (response.status() == 404 || response.status() == 409) {
            return false;
        }
        expectStatus(response, "delete key " + key, 204);
        return true;
    }

    // ---- leases -----------------------------------------------------------------------------------------------

    /**
     * Grants a lease; keys and instances attached to it are deleted when it expires or is revoked. Repeated after
     * an unanswered attempt, which may leave an unused lease behind: it simply expires.
     *
     * @param ttl how long it lives without a keep-alive; whole seconds, at least one
     * @return the lease id
     */
    public long grantLease(Duration ttl) {
        if (ttl.toSeconds() < 1) {
            throw new IllegalArgumentException("Lease TTL must be at least one second, was " + ttl);
        }
        FailoverResponse response = send(FailoverRequest.json("POST", "/v1/leases",
                ContractJson.write(new LeaseGrantRequest(ttl.toSeconds())), Repeat.IDEMPOTENT));
        return read(response, LeaseResponse.class, "grant a lease", 201).leaseId();
    }

    /** @return {@code false} when the lease no longer exists (it expired or was revoked) */
    public boolean keepAlive(long leaseId) {
        FailoverResponse response = send(FailoverRequest.of("PUT", "/v1/leases/" + leaseId + "/keepalive",
                Repeat.IDEMPOTENT));
        if (response.status() == 404) {
            return false;
        }
        read(response, LeaseResponse.class, "keep lease " + leaseId + " alive", 200);
        return true;
    }

    /** Revokes a lease, deleting its keys and instances; revoking one that is gone is not an error. */
    public void revokeLease(long leaseId) {
        FailoverResponse response = send(FailoverRequest.of("DELETE", "/v1/leases/" + leaseId, Repeat.IDEMPOTENT));
        if (response.status() != 404) {
            expectStatus(response, "revoke lease " + leaseId, 204);
        }
    }

    // ---- plumbing ---------------------------------------------------------------------------------------------

    private FailoverResponse read(String path, QueryOptions options) {
        StringBuilder query = new StringBuilder(path);
        char separator = path.contains("?") ? '&' : '?';
        if (options.consistency() == Consistency.STALE) {
            query.append(separator).append("consistency=stale");
            separator = '&';
        }
        if (options.minIndex() > 0) {
            query.append(separator).append("min-index=").append(options.minIndex());
            separator = '&';
        }
        Duration extra = Duration.ZERO;
        if (options.blocking()) {
            long waitMillis = Math.max(1, options.maxWait().toMillis());
            query.append(separator).append("index=").append(options.index()).append("&wait=").append(waitMillis)
                .append("ms");
            // Room for the registry to answer at the end of the wait, as Consul clients leave wait/16.
            extra = Duration.ofMillis(waitMillis).plus(Duration.ofMillis(waitMillis / 16));
        }
        return send(FailoverRequest.of("GET", query.toString(), Repeat.IDEMPOTENT).withExtraTimeout(extra));
    }

    private FailoverResponse send(FailoverRequest request) {
        try {
            return this.transport.send(request);
        }
        catch (ClusterUnavailableException ex) {
            throw new RegistryUnavailableException(ex.getMessage(), ex.outcome() == WriteOutcome.UNKNOWN, ex);
        }
    }

    private <T> T read(FailoverResponse response, Class<T> type, String what, int expected) {
        expectStatus(response, what, expected);
        try {
            return ContractJson.read(response.body(), type, "The registry's answer to " + what);
        }
        catch (ContractViolationException ex) {
            throw new RegistryException(ex.getMessage(), response.status(), ex);
        }
    }

    private <T> T read(FailoverResponse response, TypeReference<T> type, String what, int expected) {
        expectStatus(response, what, expected);
        try {
            return ContractJson.read(response.body(), type, "The registry's answer to " + what);
        }
        catch (ContractViolationException ex) {
            throw new RegistryException(ex.getMessage(), response.status(), ex);
        }
    }

    private static void expectStatus(FailoverResponse response, String what, int expected) {
        if (response.status() != expected) {
            throw new RegistryException("Could not " + what + ": " + response.node() + " answered "
                    + response.status() + problemDetail(response), response.status());
        }
    }

    /** The {@code detail} of an RFC 9457 answer, else the body as text. */
    private static String problemDetail(FailoverResponse response) {
        String text = response.bodyText();
        if (text.isEmpty()) {
            return "";
        }
        try {
            JsonNode node = ContractJson.mapper().readTree(text);
            if (node.path("detail").isString()) {
                return ": " + node.get("detail").asString();
            }
        }
        catch (JacksonException ex) {
            // not JSON: show it as it came
        }
        return ": " + text;
    }

    /** The {@code X-Flotilla-Index} every read answer carries (a 404 too); without it the answer breaks the contract. */
    private static long index(FailoverResponse response) {
        String value = response.header(FlotillaHeaders.INDEX).orElseThrow(() -> new RegistryException(
                "The registry's answer from " + response.node() + " has no " + FlotillaHeaders.INDEX + " header",
                response.status()));
        try {
            return Long.parseLong(value.trim());
        }
        catch (NumberFormatException ex) {
            throw new RegistryException("The registry's " + FlotillaHeaders.INDEX + " header is not a number: '"
                    + value + "'", response.status(), ex);
        }
    }

    /** Path of a key: each segment percent-encoded, the slashes kept so keys read naturally in logs. */
    private static String kvPath(String key) {
        Objects.requireNonNull(key, "key");
        StringBuilder path = new StringBuilder("/v1/kv/");
        String[] segments = key.split("/", -1);
        for (int i = 0; i < segments.length; i++) {
            if (i > 0) {
                path.append('/');
            }
            path.append(segment(segments[i]));
        }
        return path.toString();
    }

    private static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** Settings of a {@link RegistryClient}. */
    public static final class Builder {

        private final List<URI> addresses = new ArrayList<>();

        private String token;

        private Duration connectTimeout = Duration.ofSeconds(2);

        private Duration requestTimeout = Duration.ofSeconds(10);

        private Duration failoverTimeout = Duration.ofSeconds(15);

        private SSLContext sslContext;

        private Builder() {
        }

        /** Adds a node, e.g. {@code http://127.0.0.1:8500}; nodes are tried in the order given. */
        public Builder address(URI address) {
            this.addresses.add(Objects.requireNonNull(address, "address"));
            return this;
        }

        /** Adds nodes; see {@link #address(URI)}. */
        public Builder addresses(List<URI> nodeAddresses) {
            nodeAddresses.forEach(this::address);
            return this;
        }

        /** Bearer token sent with every request (the registry's {@code flotilla.registry.server.token}). */
        public Builder token(String bearerToken) {
            this.token = bearerToken;
            return this;
        }

        /** Longest wait for a TCP connection to one node before trying the next. */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = timeout;
            return this;
        }

        /** Longest wait for one node's answer (blocking queries add their wait). */
        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = timeout;
            return this;
        }

        /** How long a call keeps going round the nodes (an election usually ends well within it). */
        public Builder failoverTimeout(Duration timeout) {
            this.failoverTimeout = timeout;
            return this;
        }

        /**
         * TLS of calls to {@code https://} nodes: the CAs trusted and the key presented (null, the default: the JDK's
         * default trust store).
         */
        public Builder sslContext(SSLContext context) {
            this.sslContext = context;
            return this;
        }

        /** @return the client */
        public RegistryClient build() {
            FailoverTransport.Builder transport = FailoverTransport.builder()
                .service("registry")
                .addresses(this.addresses)
                .connectTimeout(this.connectTimeout)
                .requestTimeout(this.requestTimeout)
                .failoverTimeout(this.failoverTimeout)
                .sslContext(this.sslContext);
            if (this.token != null && !this.token.isBlank()) {
                transport.header("Authorization", "Bearer " + this.token);
            }
            return new RegistryClient(transport.build());
        }
    }
}
