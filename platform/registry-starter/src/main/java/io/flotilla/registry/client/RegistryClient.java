package io.flotilla.registry.client;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import javax.net.ssl.SSLContext;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Client of the Flotilla registry's HTTP/JSON API: service instances, the consistent core's KV and leases, and
 * blocking queries. Spring-free and thread-safe; one instance per application is enough.
 *
 * <p>
 * Every call goes to the configured nodes in turn until one answers (see {@link #builder()} for the fail-over
 * rules). Reads are linearizable unless {@link QueryOptions} say otherwise; list answers carry the registry's
 * {@code X-Flotilla-Index} in {@link Indexed#index()}, which a blocking query passes back to wait for the next
 * change.
 */
public final class RegistryClient {

    /** {@code cas} value: write whatever the current version. */
    public static final long ANY_VERSION = -1;

    /** {@code cas} value: write only if the key does not exist. */
    public static final long CREATE_ONLY = 0;

    /** {@code leaseId} value: the key outlives every lease. */
    public static final long NO_LEASE = 0;

    static final String INDEX_HEADER = "X-Flotilla-Index";

    private static final String JSON = "application/json";

    private final FailoverTransport transport;

    private final JsonMapper json = JsonMapper.builder().build();

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
    public RegisteredInstance register(String service, InstanceSpec spec) {
        ObjectNode body = this.json.createObjectNode();
        if (spec.instanceId() != null) {
            body.put("instanceId", spec.instanceId());
        }
        body.put("host", spec.host());
        body.put("port", spec.port());
        body.put("secure", spec.secure());
        ObjectNode metadata = body.putObject("metadata");
        spec.metadata().forEach(metadata::put);
        body.put("zone", spec.zone());
        body.put("weight", spec.weight());
        body.put("ttlSeconds", spec.ttl().toSeconds());
        HttpResponse<byte[]> response = send("POST", "/v1/services/" + segment(service) + "/instances",
                this.json.writeValueAsBytes(body), true);
        JsonNode answer = expectJson(response, "register an instance of " + service, 200, 201);
        return new RegisteredInstance(answer.path("instanceId").asString(""), answer.path("leaseId").asLong(0));
    }

    /**
     * Keeps an instance's lease alive.
     *
     * @return {@code false} when the registry no longer knows the instance (its lease expired): register again
     */
    public boolean heartbeat(String service, String instanceId) {
        HttpResponse<byte[]> response = send("PUT",
                "/v1/services/" + segment(service) + "/instances/" + segment(instanceId) + "/heartbeat", null, true);
        if (response.statusCode() == 404) {
            return false;
        }
        expectStatus(response, "heartbeat " + service + "/" + instanceId, 200, 204);
        return true;
    }

    /**
     * Removes an instance; removing one that is already gone is not an error.
     *
     * @return whether the instance existed
     */
    public boolean deregister(String service, String instanceId) {
        HttpResponse<byte[]> response = send("DELETE",
                "/v1/services/" + segment(service) + "/instances/" + segment(instanceId), null, true);
        if (response.statusCode() == 404) {
            return false;
        }
        expectStatus(response, "deregister " + service + "/" + instanceId, 200, 204);
        return true;
    }

    /** @return names of the services that have or had instances */
    public Indexed<List<String>> services(QueryOptions options) {
        HttpResponse<byte[]> response = read("/v1/services", options);
        JsonNode answer = expectJson(response, "list services", 200);
        List<String> names = new ArrayList<>();
        JsonNode array = answer.isArray() ? answer : answer.path("services");
        array.forEach(node -> names.add(node.isString() ? node.stringValue() : node.path("name").asString("")));
        return new Indexed<>(List.copyOf(names), index(response));
    }

    /** @return the instances of {@code service} (empty when it has none or never had any) */
    public Indexed<List<RegistryInstance>> instances(String service, QueryOptions options) {
        HttpResponse<byte[]> response = read("/v1/services/" + segment(service) + "/instances", options);
        if (response.statusCode() == 404) {
            return new Indexed<>(List.of(), index(response));
        }
        JsonNode answer = expectJson(response, "list instances of " + service, 200);
        List<RegistryInstance> instances = new ArrayList<>();
        JsonNode array = answer.isArray() ? answer : answer.path("instances");
        array.forEach(node -> instances.add(instance(service, node)));
        return new Indexed<>(List.copyOf(instances), index(response));
    }

    // ---- KV ---------------------------------------------------------------------------------------------------

    /** @return the key's entry, or empty; a blocking query on a missing key wakes when it is created */
    public Indexed<Optional<KvEntry>> get(String key, QueryOptions options) {
        HttpResponse<byte[]> response = read(kvPath(key), options);
        if (response.statusCode() == 404) {
            return new Indexed<>(Optional.empty(), index(response));
        }
        JsonNode answer = expectJson(response, "read key " + key, 200);
        JsonNode entry = answer.isArray() ? (answer.isEmpty() ? null : answer.get(0)) : answer;
        return new Indexed<>(Optional.ofNullable(entry).map(this::entry), index(response));
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
        HttpResponse<byte[]> response = read(kvPath(prefix) + "?recurse", options);
        if (response.statusCode() == 404) {
            return new Indexed<>(List.of(), index(response));
        }
        JsonNode answer = expectJson(response, "list keys under " + prefix, 200);
        List<KvEntry> entries = new ArrayList<>();
        JsonNode array = answer.isArray() ? answer : answer.path("entries");
        array.forEach(node -> entries.add(entry(node)));
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
        HttpResponse<byte[]> response = send("PUT", path.toString(), value, cas == ANY_VERSION,
                "application/octet-stream");
        if (isCasFailure(response)) {
            return OptionalLong.empty();
        }
        JsonNode answer = expectJson(response, "write key " + key, 200, 201);
        return OptionalLong.of(modIndex(answer, response));
    }

    /** Writes a UTF-8 string value; see {@link #put(String, byte[], long, long)}. */
    public OptionalLong put(String key, String value, long cas, long leaseId) {
        return put(key, value.getBytes(StandardCharsets.UTF_8), cas, leaseId);
    }

    /**
     * Creates {@code prefix/<zero-padded index>}, attached to a lease: the building block of ZooKeeper-style
     * locks and queues. Never repeated after an unanswered attempt, since a repeat would create a second key;
     * on {@link RegistryUnavailableException#outcomeUnknown()} look for the key by its value.
     *
     * @return the created entry and the key that was just before it
     */
    public SequentialKey createSequential(String prefix, byte[] value, long leaseId) {
        String path = kvPath(prefix) + "?sequential" + (leaseId != NO_LEASE ? "&lease=" + leaseId : "");
        HttpResponse<byte[]> response = send("POST", path, value, false, "application/octet-stream");
        JsonNode answer = expectJson(response, "create a sequential key under " + prefix, 200, 201);
        String key = answer.path("key").asString("");
        long index = modIndex(answer, response);
        long createIndex = answer.path("createIndex").asLong(index);
        JsonNode predecessor = answer.path("predecessor");
        return new SequentialKey(new KvEntry(key, value, createIndex, index, leaseId),
                predecessor.isString() ? Optional.of(predecessor.asString()) : Optional.empty());
    }

    /**
     * Deletes a key.
     *
     * @param cas {@link #ANY_VERSION} or the {@code modIndex} the key must still have
     * @return whether it was deleted ({@code false}: absent, or its version differed)
     */
    public boolean delete(String key, long cas) {
        String path = kvPath(key) + (cas != ANY_VERSION ? "?cas=" + cas : "");
        HttpResponse<byte[]> response = send("DELETE", path, null, cas == ANY_VERSION);
        if (response.statusCode() == 404 || isCasFailure(response)) {
            return false;
        }
        expectStatus(response, "delete key " + key, 200, 204);
        return true;
    }

    // ---- leases -----------------------------------------------------------------------------------------------

    /**
     * Grants a lease; keys and instances attached to it are deleted when it expires or is revoked. A repeat after
     * an unanswered attempt may leave an unused lease behind, which simply expires.
     *
     * @param ttl how long it lives without a keep-alive; whole seconds, at least one
     * @return the lease id
     */
    public long grantLease(Duration ttl) {
        if (ttl.toSeconds() < 1) {
            throw new IllegalArgumentException("Lease TTL must be at least one second, was " + ttl);
        }
        ObjectNode body = this.json.createObjectNode().put("ttlSeconds", ttl.toSeconds());
        HttpResponse<byte[]> response = send("POST", "/v1/leases", this.json.writeValueAsBytes(body), true);
        return expectJson(response, "grant a lease", 200, 201).path("leaseId").asLong(0);
    }

    /** @return {@code false} when the lease no longer exists (it expired or was revoked) */
    public boolean keepAlive(long leaseId) {
        HttpResponse<byte[]> response = send("PUT", "/v1/leases/" + leaseId + "/keepalive", null, true);
        if (response.statusCode() == 404) {
            return false;
        }
        expectStatus(response, "keep lease " + leaseId + " alive", 200, 204);
        return true;
    }

    /** Revokes a lease, deleting its keys and instances; revoking one that is gone is not an error. */
    public void revokeLease(long leaseId) {
        HttpResponse<byte[]> response = send("DELETE", "/v1/leases/" + leaseId, null, true);
        if (response.statusCode() != 404) {
            expectStatus(response, "revoke lease " + leaseId, 200, 204);
        }
    }

    // ---- plumbing ---------------------------------------------------------------------------------------------

    private HttpResponse<byte[]> read(String path, QueryOptions options) {
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
        return this.transport.send("GET", query.toString(), null, null, true, extra);
    }

    private HttpResponse<byte[]> send(String method, String path, byte[] body, boolean idempotent) {
        return send(method, path, body, idempotent, JSON);
    }

    private HttpResponse<byte[]> send(String method, String path, byte[] body, boolean idempotent,
            String contentType) {
        return this.transport.send(method, path, body, contentType, idempotent, Duration.ZERO);
    }

    private static boolean isCasFailure(HttpResponse<byte[]> response) {
        return response.statusCode() == 409 || response.statusCode() == 412;
    }

    private JsonNode expectJson(HttpResponse<byte[]> response, String what, int... accepted) {
        expectStatus(response, what, accepted);
        byte[] body = response.body();
        if (body == null || body.length == 0) {
            return this.json.createObjectNode();
        }
        try {
            return this.json.readTree(body);
        }
        catch (RuntimeException ex) {
            throw new RegistryException("Could not " + what + ": the registry's answer is not JSON: "
                    + new String(body, StandardCharsets.UTF_8), response.statusCode(), ex);
        }
    }

    private void expectStatus(HttpResponse<byte[]> response, String what, int... accepted) {
        for (int status : accepted) {
            if (response.statusCode() == status) {
                return;
            }
        }
        throw new RegistryException("Could not " + what + ": " + response.request().method() + " "
                + response.uri() + " answered " + response.statusCode() + problemDetail(response),
                response.statusCode());
    }

    /** The {@code detail} of an RFC 9457 answer, else the body as text. */
    private String problemDetail(HttpResponse<byte[]> response) {
        byte[] body = response.body();
        if (body == null || body.length == 0) {
            return "";
        }
        String text = new String(body, StandardCharsets.UTF_8);
        try {
            JsonNode node = this.json.readTree(text);
            if (node.hasNonNull("detail")) {
                return ": " + node.get("detail").asString("");
            }
        }
        catch (RuntimeException ex) {
            // not JSON: show it as it came
        }
        return ": " + text;
    }

    private static long index(HttpResponse<?> response) {
        return response.headers().firstValue(INDEX_HEADER).map(value -> {
            try {
                return Long.parseLong(value.trim());
            }
            catch (NumberFormatException ex) {
                return 0L;
            }
        }).orElse(0L);
    }

    private static long modIndex(JsonNode answer, HttpResponse<?> response) {
        if (answer.hasNonNull("modIndex")) {
            return answer.get("modIndex").asLong(0);
        }
        if (answer.hasNonNull("index")) {
            return answer.get("index").asLong(0);
        }
        return index(response);
    }

    private RegistryInstance instance(String service, JsonNode node) {
        Map<String, String> metadata = new java.util.TreeMap<>();
        node.path("metadata").properties().forEach(field -> metadata.put(field.getKey(), field.getValue().asString("")));
        return new RegistryInstance(node.path("service").asString(service), node.path("instanceId").asString(""),
                node.path("host").asString(""), node.path("port").asInt(0), node.path("secure").asBoolean(false),
                metadata, node.path("zone").asString(""), node.path("weight").asInt(1),
                node.path("status").asString("UP"), node.path("leaseId").asLong(0), node.path("modIndex").asLong(0));
    }

    private KvEntry entry(JsonNode node) {
        JsonNode value = node.path("value");
        byte[] bytes = value.isNull() || value.isMissingNode() ? new byte[0] : java.util.Base64.getDecoder()
            .decode(value.asString(""));
        return new KvEntry(node.path("key").asString(""), bytes, node.path("createIndex").asLong(0),
                node.path("modIndex").asLong(0), node.path("leaseId").asLong(0));
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

        private HttpClient httpClient;

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

        /** Replaces the JDK HTTP client, e.g. to configure TLS; it must not follow redirects itself. */
        public Builder httpClient(HttpClient client) {
            this.httpClient = client;
            return this;
        }

        /**
         * TLS of calls to {@code https://} nodes: the CAs trusted and the key presented (null, the default: the JDK's
         * default trust store). Ignored when {@link #httpClient} replaces the HTTP client.
         */
        public Builder sslContext(SSLContext context) {
            this.sslContext = context;
            return this;
        }

        /** @return the client */
        public RegistryClient build() {
            HttpClient.Builder http = HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(this.connectTimeout)
                    .followRedirects(HttpClient.Redirect.NEVER);
            if (this.sslContext != null) {
                http.sslContext(this.sslContext);
            }
            HttpClient client = this.httpClient != null ? this.httpClient : http.build();
            return new RegistryClient(new FailoverTransport(this.addresses, client, this.token, this.requestTimeout,
                    this.failoverTimeout));
        }
    }
}
