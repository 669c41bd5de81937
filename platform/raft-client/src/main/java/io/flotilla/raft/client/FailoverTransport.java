package io.flotilla.raft.client;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLContext;

/**
 * Sends a request to a Raft-backed service (registry, coordinator), moving across its nodes until one answers.
 * Spring-free, on a {@link KeepAliveHttpClient} of its own (keep-alive HTTP/1.1 on blocking sockets, in the caller's
 * thread), so it puts no HTTP library on an application's class path and leaves the application's own HTTP clients
 * and their defaults alone.
 *
 * <p>
 * Rules, decided from facts and from the problem's machine-readable members, never from its English text:
 * <ul>
 * <li>A refused (or timed-out) connection sent nothing: any request moves on to the next node.</li>
 * <li>A 503 moves an {@link Repeat#IDEMPOTENT} request on. A {@link Repeat#ONLY_IF_NOT_APPLIED} request moves on
 * only when the problem's {@value RaftProblemType#OUTCOME_PROPERTY} is {@code not-applied}; any other 503 (outcome
 * {@code unknown}, none, or not a Raft problem at all) ends the call with {@link WriteOutcome#UNKNOWN}.</li>
 * <li>A request that was sent and got no answer (reset, read time-out) may have been applied: an idempotent one
 * moves on, any other ends the call with {@link WriteOutcome#UNKNOWN}.</li>
 * <li>Any other answer, 2xx to 500, is the caller's to interpret, and the node that gave it is tried first next
 * time.</li>
 * </ul>
 * When every node failed, the transport waits (the largest {@code Retry-After} seen, capped at a second, else a
 * growing back-off) and goes round again until the fail-over time-out, then throws
 * {@link ClusterUnavailableException} with {@link WriteOutcome#NOT_APPLIED} (nothing that was sent may have been
 * applied) or {@link WriteOutcome#UNKNOWN}.
 *
 * <p>With several addresses the transport also looks for the leader ({@link LeaderHint}): before the first call, every
 * {@value #LEADER_CHECK_SECONDS} s, and after a call had to move on, one caller reads {@code GET /v1/cluster} from
 * the node it would use and, when the leader is one of the configured addresses, starts there; writes sent to a
 * follower would each be forwarded.
 */
public final class FailoverTransport {

    private static final System.Logger LOGGER = System.getLogger(FailoverTransport.class.getName());

    private static final Duration MAX_PAUSE = Duration.ofSeconds(1);

    static final long LEADER_CHECK_SECONDS = 10;

    /** Longest wait for the cluster view; a node that is slow to describe itself is not worth waiting for. */
    private static final Duration LEADER_CHECK_TIMEOUT = Duration.ofSeconds(1);

    private final String service;

    private final List<URI> addresses;

    private final KeepAliveHttpClient httpClient;

    /** {@code Accept} and the builder's headers: what every request carries. */
    private final Map<String, String> headers;

    private final Duration requestTimeout;

    private final Duration failoverTimeout;

    /** Index of the node that answered last; calls start there so a healthy node keeps the traffic. */
    private volatile int preferred;

    private final LeaderHint leaderHint;

    private final boolean leaderDiscovery;

    /** {@link System#nanoTime()} from which the next call looks for the leader. */
    private volatile long nextLeaderCheck = System.nanoTime();

    private final AtomicBoolean checkingLeader = new AtomicBoolean();

    private FailoverTransport(Builder builder) {
        this.service = builder.service;
        this.addresses = builder.addresses.stream().map(FailoverTransport::withoutTrailingSlash).toList();
        this.httpClient = new KeepAliveHttpClient(builder.sslContext, builder.connectTimeout);
        Map<String, String> common = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        common.put("Accept", "application/json");
        common.putAll(builder.headers);
        this.headers = common;
        this.requestTimeout = builder.requestTimeout;
        this.failoverTimeout = builder.failoverTimeout;
        this.leaderHint = new LeaderHint(this.addresses);
        this.leaderDiscovery = builder.leaderDiscovery && this.addresses.size() > 1;
    }

    /** @return a builder; {@link #send} needs at least one address, {@link #sendTo} none */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the node addresses, in the order they are first tried */
    public List<URI> addresses() {
        return addresses;
    }

    /**
     * Sends {@code request} to the nodes in turn, starting with the one that answered last.
     *
     * @return the first answer that is not a 503
     * @throws ClusterUnavailableException when no node answered in time, or a request that must not run twice may
     *         have been applied
     */
    public FailoverResponse send(FailoverRequest request) {
        if (addresses.isEmpty()) {
            throw new IllegalStateException("No " + service + " address is configured: send needs at least one");
        }
        if (leaderDiscovery) {
            checkLeader();
        }
        long deadline = System.nanoTime() + failoverTimeout.toNanos();
        String lastFailure = "";
        Exception lastCause = null;
        boolean maybeApplied = false;
        int round = 0;
        while (true) {
            Duration retryAfter = Duration.ZERO;
            int start = preferred;
            for (int i = 0; i < addresses.size(); i++) {
                int index = (start + i) % addresses.size();
                URI node = addresses.get(index);
                HttpAnswer response;
                try {
                    response = exchange(node, request);
                }
                catch (ConnectException notSent) {
                    lastFailure = node + " refused the connection (" + notSent + ")";
                    lastCause = notSent;
                    continue;
                }
                catch (IOException unanswered) {
                    if (request.repeat() != Repeat.IDEMPOTENT) {
                        throw new ClusterUnavailableException(request + " at " + node + " got no answer ("
                                + unanswered + "); it may or may not have been applied", WriteOutcome.UNKNOWN,
                                unanswered);
                    }
                    maybeApplied = true;
                    lastFailure = node + " gave no answer (" + unanswered + ")";
                    lastCause = unanswered;
                    continue;
                }
                if (response.status() != 503) {
                    // Only a move is recorded: a call that merely ended where it started must not undo the
                    // leader a concurrent check found while it was in flight.
                    if (index != start) {
                        preferred = index;
                        // The traffic moved: the leader may have too.
                        nextLeaderCheck = System.nanoTime();
                    }
                    return new FailoverResponse(node, response.status(), response.headers(), response.body());
                }
                RaftProblem problem;
                try {
                    problem = RaftProblem.parse(response.body());
                }
                catch (IllegalArgumentException brokenContract) {
                    throw new ClusterUnavailableException(request + " at " + node + " answered 503 with a problem "
                            + "this client cannot read: " + brokenContract.getMessage(), WriteOutcome.UNKNOWN,
                            brokenContract);
                }
                if (request.repeat() != Repeat.IDEMPOTENT && !problem.provesNotApplied()) {
                    throw new ClusterUnavailableException(request + " at " + node + " answered 503 ("
                            + problem + "); it may or may not have been applied", WriteOutcome.UNKNOWN, null);
                }
                maybeApplied |= !problem.provesNotApplied();
                retryAfter = max(retryAfter, retryAfter(response));
                lastFailure = node + " answered 503 (" + problem + ")";
                lastCause = null;
            }
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                throw new ClusterUnavailableException("No " + service + " node of " + addresses + " answered "
                        + request + " within " + failoverTimeout + "; last: " + lastFailure,
                        maybeApplied ? WriteOutcome.UNKNOWN : WriteOutcome.NOT_APPLIED, lastCause);
            }
            Duration pause = retryAfter.isPositive() ? min(retryAfter, MAX_PAUSE)
                    : min(Duration.ofMillis(50L << Math.min(round, 4)), MAX_PAUSE);
            pause = min(pause, Duration.ofNanos(remaining));
            LOGGER.log(System.Logger.Level.DEBUG, "No {0} node answered {1}; retrying in {2}", service, request,
                    pause);
            sleep(pause, request);
            round++;
        }
    }

    /** One caller at a time, when due, reads the cluster view and starts at the leader if it is a configured node. */
    private void checkLeader() {
        long now = System.nanoTime();
        if (now - nextLeaderCheck < 0 || !checkingLeader.compareAndSet(false, true)) {
            return;
        }
        try {
            nextLeaderCheck = now + Duration.ofSeconds(LEADER_CHECK_SECONDS).toNanos();
            URI node = addresses.get(preferred);
            HttpAnswer view = httpClient.exchange(node, "GET", basePath(node) + LeaderHint.CLUSTER_PATH, headers, null,
                    LEADER_CHECK_TIMEOUT);
            if (view.status() == 200) {
                leaderHint.leaderIndex(view.body()).ifPresent(leader -> preferred = leader);
            }
        }
        catch (IOException | RuntimeException ex) {
            LOGGER.log(System.Logger.Level.DEBUG, "Could not read the {0} cluster view: {1}", service, ex);
        }
        finally {
            checkingLeader.set(false);
        }
    }

    /**
     * One attempt at one node, which need not be a configured address: what a follower forwarding a request to
     * its leader needs. Every answer is returned, a 503 too; nothing is repeated and no node is remembered.
     *
     * @throws ClusterUnavailableException with {@link WriteOutcome#NOT_APPLIED} when the connection was refused
     *         (nothing was sent), {@link WriteOutcome#UNKNOWN} when the request was sent and no answer came
     */
    public FailoverResponse sendTo(URI node, FailoverRequest request) {
        URI base = withoutTrailingSlash(node);
        try {
            HttpAnswer response = exchange(base, request);
            return new FailoverResponse(base, response.status(), response.headers(), response.body());
        }
        catch (ConnectException notSent) {
            throw new ClusterUnavailableException(base + " refused the connection for " + request + " (" + notSent
                    + ")", WriteOutcome.NOT_APPLIED, notSent);
        }
        catch (IOException unanswered) {
            throw new ClusterUnavailableException(request + " at " + base + " got no answer (" + unanswered
                    + "); it may or may not have been applied", WriteOutcome.UNKNOWN, unanswered);
        }
    }

    /** One exchange with one node; a path in the node's address (a proxy's prefix) is kept. */
    private HttpAnswer exchange(URI node, FailoverRequest request) throws IOException {
        Map<String, String> requestHeaders = headers;
        if (!request.headers().isEmpty() || request.body() != null) {
            requestHeaders = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            requestHeaders.putAll(headers);
            requestHeaders.putAll(request.headers());
            if (request.body() != null && request.contentType() != null) {
                requestHeaders.put("Content-Type", request.contentType());
            }
        }
        try {
            return httpClient.exchange(node, request.method(), basePath(node) + request.pathAndQuery(), requestHeaders,
                    request.body(), requestTimeout.plus(request.extraTimeout()));
        }
        catch (IOException ex) {
            // A virtual thread interrupted in a socket call sees the socket closed: that is a cancellation (e.g. a
            // watch being closed), not a node to move away from.
            if (Thread.currentThread().isInterrupted()) {
                throw new ClusterUnavailableException("Interrupted while calling the " + service + " at " + node
                        + "; " + request + " may or may not have been applied", WriteOutcome.UNKNOWN, ex);
            }
            throw ex;
        }
    }

    private static String basePath(URI node) {
        return node.getRawPath() == null ? "" : node.getRawPath();
    }

    private static Duration retryAfter(HttpAnswer response) {
        return response.headers().firstValue("Retry-After").map(value -> {
            try {
                return Duration.ofSeconds(Long.parseLong(value.trim()));
            }
            catch (NumberFormatException ex) {
                return Duration.ZERO;
            }
        }).orElse(Duration.ZERO);
    }

    private static URI withoutTrailingSlash(URI uri) {
        String text = uri.toString();
        return text.endsWith("/") ? URI.create(text.substring(0, text.length() - 1)) : uri;
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private void sleep(Duration pause, FailoverRequest request) {
        try {
            Thread.sleep(pause);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new ClusterUnavailableException("Interrupted while waiting to retry " + request + " at the "
                    + service, WriteOutcome.UNKNOWN, ex);
        }
    }

    /** Settings of a {@link FailoverTransport}. */
    public static final class Builder {

        private final List<URI> addresses = new ArrayList<>();

        private final Map<String, String> headers = new LinkedHashMap<>();

        private String service = "service";

        private SSLContext sslContext;

        private Duration connectTimeout = Duration.ofSeconds(2);

        private Duration requestTimeout = Duration.ofSeconds(10);

        private Duration failoverTimeout = Duration.ofSeconds(15);

        private boolean leaderDiscovery = true;

        private Builder() {
        }

        /** What the nodes are, for messages: {@code registry}, {@code coordinator}. */
        public Builder service(String name) {
            this.service = Objects.requireNonNull(name, "name");
            return this;
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

        /** A header sent with every request, e.g. {@code Authorization}. */
        public Builder header(String name, String value) {
            this.headers.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /** Longest wait for a TCP connection to one node before trying the next (default 2 s). */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /** Longest wait for one node's answer (default 10 s; a blocking query adds its wait). */
        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /** How long one call keeps going round the nodes (default 15 s; an election ends well within it). */
        public Builder failoverTimeout(Duration timeout) {
            this.failoverTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /**
         * TLS of calls to {@code https://} nodes: the certificate authorities trusted and the key presented when a
         * node asks for a client certificate (e.g. a Spring Boot SSL bundle's {@code createSslContext()}); null, the
         * default, uses the JDK's default trust store.
         */
        public Builder sslContext(SSLContext context) {
            this.sslContext = context;
            return this;
        }

        /**
         * Whether, with several addresses, calls start at the leader as {@code GET /v1/cluster} names it (default
         * true; turn it off for a service that is not a Flotilla Raft group).
         */
        public Builder leaderDiscovery(boolean enabled) {
            this.leaderDiscovery = enabled;
            return this;
        }

        /** @return the transport */
        public FailoverTransport build() {
            return new FailoverTransport(this);
        }
    }
}
