package io.flotilla.raft.server;

import io.flotilla.raft.ClusterConfig;
import io.flotilla.raft.CommandResult;
import io.flotilla.raft.LeadershipListener;
import io.flotilla.raft.ProposalRefusedException;
import io.flotilla.raft.RaftNode;
import io.flotilla.raft.RaftException;
import io.flotilla.raft.RaftOptions;
import io.flotilla.raft.RaftStatus;
import io.flotilla.raft.ReadResult;
import io.flotilla.raft.Role;
import io.flotilla.raft.client.RaftProblemType;
import io.flotilla.raft.client.WriteOutcome;
import io.flotilla.raft.runtime.ThreadEventLoop;
import io.flotilla.raft.storage.file.FileRaftStorage;
import io.flotilla.raft.transport.netty.NettyTransport;
import io.flotilla.raft.transport.netty.NettyTransportOptions;
import io.flotilla.raft.transport.netty.NettyTransportTls;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One Raft node of a service, as a Spring bean: opens the data directory ({@link FileRaftStorage}, fsync on),
 * listens for peers ({@link NettyTransport}), runs the node on its own {@link ThreadEventLoop} and publishes
 * the {@code raft.*} meters. It starts before the web server and stops after it (see {@link #getPhase()}), and a
 * node that cannot start (its Raft port taken) fails {@link #start()}, so the process exits instead of serving.
 *
 * <p>Members are {@code id@host:raftPort} in the Raft configuration; each publishes its HTTP address through the
 * log ({@link MemberDirectory}, {@link MemberUrlPublisher}), so any node can forward to the leader.
 */
public class RaftServer implements SmartLifecycle, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RaftServer.class);

    /** How long {@link #start()} waits for the node to be running (recovery from disk included). */
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final String nodeId;
    private final RaftService service;
    private final RaftServerProperties properties;
    private final String advertisedHost;
    private final String bindAddress;
    private final MemberDirectory directory = new MemberDirectory();
    private final RaftOptions options;
    private final Path dataDir;
    private final ThreadEventLoop eventLoop;
    private final RaftNode node;
    private final Object lifecycle = new Object();
    private volatile String ownHttpUrl;
    private volatile boolean running;
    private boolean closed;

    /**
     * A node whose Raft port speaks plain TCP; see {@link #RaftServer(RaftServerProperties, RaftService,
     * MeterRegistry, NettyTransportTls)}.
     */
    public RaftServer(RaftServerProperties properties, RaftService service, MeterRegistry meters) {
        this(properties, service, meters, null);
    }

    /**
     * Checks the settings, opens the data directory and builds the node; {@link #start()} starts it.
     *
     * @param meters       where the {@code raft.*} meters go; may be null
     * @param transportTls mutual TLS on the Raft port; null for plain TCP
     * @throws RaftServerConfigurationException when the settings cannot work
     */
    public RaftServer(RaftServerProperties properties, RaftService service, MeterRegistry meters,
                      NettyTransportTls transportTls) {
        this.nodeId = properties.getNodeId();
        this.service = service;
        this.properties = properties;
        ClusterConfig initial = PeerList.initialConfig(properties, service.propertyPrefix());
        this.advertisedHost = initial.member(nodeId).map(member -> MemberAddress.parse(member.address()).host())
                .orElse(properties.getRaftHost());
        this.bindAddress = properties.getRaftHost() + ":" + properties.getRaftPort();
        this.options = RaftOptions.defaults()
                .withElectionTimeout(properties.getElectionTimeoutMin(), properties.getElectionTimeoutMax())
                .withHeartbeatInterval(properties.getHeartbeatInterval())
                .withSnapshotThreshold(properties.getSnapshotThreshold())
                .withSnapshotGrowthFactor(properties.getSnapshotGrowthFactor());
        this.dataDir = properties.getDataDir() != null ? properties.getDataDir()
                : Path.of("data", service.name(), nodeId);
        Map<String, String> peers = new LinkedHashMap<>();
        initial.members().stream().filter(member -> !member.id().equals(nodeId))
                .forEach(member -> peers.put(member.id(), member.address()));
        FileRaftStorage storage = FileRaftStorage.open(dataDir);
        this.eventLoop = new ThreadEventLoop("raft-" + nodeId);
        try {
            NettyTransport transport = new NettyTransport(nodeId, bindAddress,
                    MemberAddressTransport.raftAddresses(peers),
                    NettyTransportOptions.defaults().withTls(transportTls));
            this.node = RaftNode.builder()
                    .nodeId(nodeId)
                    .initialConfig(initial)
                    .storage(storage)
                    .transport(new MemberAddressTransport(transport))
                    .eventLoop(eventLoop)
                    .stateMachine(new KitStateMachine(service.stateMachine(), directory))
                    .options(options)
                    .meterRegistry(meters)
                    .build();
        } catch (RuntimeException e) {
            storage.close();
            eventLoop.close();
            throw e;
        }
    }

    /** Listeners must be added before {@link #start()} to see the first election. */
    public void addLeadershipListener(LeadershipListener listener) {
        node.addLeadershipListener(listener);
    }

    /**
     * Starts the node and waits until it runs. A node that stops while starting (its Raft port taken, its log
     * unreadable) fails here with {@link RaftStartupException}, and the application context with it.
     */
    @Override
    public void start() {
        synchronized (lifecycle) {
            if (running || closed) {
                return;
            }
            node.start();
            RaftStatus status = awaitStarted();
            if (!status.running()) {
                Throwable failure = status.failure() != null ? status.failure()
                        : new TimeoutException("not running after " + START_TIMEOUT.toSeconds() + " s");
                close();
                throw new RaftStartupException(nodeId, bindAddress, service.propertyPrefix(), failure);
            }
            running = true;
            log.info("Raft node {} of {} started at {} (data {}), members {}", nodeId, service.name(), bindAddress,
                    dataDir.toAbsolutePath(), status.config().members());
        }
    }

    private RaftStatus awaitStarted() {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        RaftStatus status = node.status();
        while (!status.running() && status.failure() == null && System.nanoTime() < deadline) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            status = node.status();
        }
        return status;
    }

    @Override
    public void stop() {
        close();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Starts before and stops after the web server (whose lifecycle phases are {@code DEFAULT_PHASE - 2048} and up). */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 4096;
    }

    @Override
    public void close() {
        synchronized (lifecycle) {
            if (closed) {
                return;
            }
            closed = true;
            running = false;
            try {
                node.close();
            } finally {
                eventLoop.close();
            }
        }
    }

    public String nodeId() {
        return nodeId;
    }

    public RaftService service() {
        return service;
    }

    public RaftServerProperties properties() {
        return properties;
    }

    public RaftNode node() {
        return node;
    }

    public RaftStatus status() {
        return node.status();
    }

    public MemberDirectory directory() {
        return directory;
    }

    public boolean isLeader() {
        return running && node.status().isLeader();
    }

    /** How long a client should wait before retrying while no leader is known: one maximal election timeout. */
    public Duration retryAfter() {
        return options.electionTimeoutMax();
    }

    /**
     * Sets the HTTP address this node publishes: {@code http(s)://<advertised host>:<port>}, the host being this
     * node's host in the peer list (else {@code raft-host}) and the port {@code http-port}, else {@code serverPort}.
     * Called once the web server listens.
     *
     * @param https whether the web server speaks TLS ({@code server.ssl})
     */
    public void advertiseHttpPort(int serverPort, boolean https) {
        int port = properties.getHttpPort() != 0 ? properties.getHttpPort() : serverPort;
        String host = advertisedHost.contains(":") ? "[" + advertisedHost + "]" : advertisedHost;
        ownHttpUrl = KitStateMachine.checkedUrl((https ? "https://" : "http://") + host + ":" + port);
    }

    /** The HTTP address this node publishes, once the web server listens. */
    public Optional<String> ownHttpUrl() {
        return Optional.ofNullable(ownHttpUrl);
    }

    /** The HTTP base URL of {@code memberId}: what it published, else the port an older-form address named. */
    public Optional<String> memberHttpUrl(String memberId) {
        Optional<String> published = directory.url(memberId);
        if (published.isPresent()) {
            return published;
        }
        return node.status().config().member(memberId)
                .flatMap(member -> MemberAddress.parse(member.address()).httpUrlHint());
    }

    /** The current leader's HTTP base URL, when a leader other than this node is known and has an address. */
    public Optional<String> leaderHttpUrl() {
        String leaderId = node.status().leaderId();
        if (leaderId == null || leaderId.equals(nodeId)) {
            return Optional.empty();
        }
        return memberHttpUrl(leaderId);
    }

    /** Whether this node can serve a request now; see {@link RaftReadiness}. */
    public RaftReadiness readiness() {
        RaftStatus status = node.status();
        if (status.failed()) {
            return RaftReadiness.notReady("stopped after a fault: " + status.failure());
        }
        if (!status.running()) {
            return RaftReadiness.notReady("not running");
        }
        if (status.leaderId() == null) {
            return RaftReadiness.notReady("no leader known (election in progress)");
        }
        if (!status.caughtUp()) {
            return RaftReadiness.notReady("catching up with leader " + status.leaderId() + ": applied "
                    + status.appliedIndex() + " of " + status.catchUpIndex());
        }
        if (!status.isLeader() && leaderHttpUrl().isEmpty()) {
            return RaftReadiness.notReady("leader " + status.leaderId() + " has not published its HTTP address yet");
        }
        if (ownHttpUrl == null || !ownHttpUrl.equals(directory.url(nodeId).orElse(null))) {
            return RaftReadiness.notReady("publishing this node's HTTP address " + ownHttpUrl);
        }
        return RaftReadiness.READY;
    }

    /**
     * Replicates a command, at the leader or at a follower: a follower proposes it to the leader over the Raft
     * transport and answers once the leader reports it applied and this node has applied it too, so a stale read
     * here afterwards sees it. Fails with {@link RaftUnavailableException}: {@link WriteOutcome#NOT_APPLIED} when
     * it was refused before reaching the log (no leader known, this node stopped, or the leader refused the
     * proposal), {@link WriteOutcome#UNKNOWN} when it was submitted and then failed or timed out after
     * {@code submit-timeout}.
     */
    public CompletableFuture<CommandResult> submit(byte[] command) {
        Optional<RaftUnavailableException> refusal = refusalBeforeSubmit();
        if (refusal.isPresent()) {
            return CompletableFuture.failedFuture(refusal.get());
        }
        return node.submit(command).orTimeout(properties.getSubmitTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .exceptionallyCompose(failure -> CompletableFuture.failedFuture(submittedWriteFailure(failure)));
    }

    /**
     * Like {@link #submit}, but only at the leader: a follower refuses ({@link WriteOutcome#NOT_APPLIED}) instead
     * of proposing. For the leader's own decisions (lease expiry, sweeps, phase two), which a node that has just
     * lost leadership must not push through its successor.
     */
    public CompletableFuture<CommandResult> submitAtLeader(byte[] command) {
        RaftStatus status = node.status();
        if (status.failed() || !status.running()) {
            return CompletableFuture.failedFuture(stopped(status));
        }
        if (status.role() != Role.LEADER) {
            return CompletableFuture.failedFuture(new RaftUnavailableException(status.leaderId() == null
                    ? RaftProblemType.NO_LEADER : RaftProblemType.NOT_LEADER, WriteOutcome.NOT_APPLIED,
                    "node " + nodeId + " is not the leader", null));
        }
        return node.submitAtLeader(command).orTimeout(properties.getSubmitTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .exceptionallyCompose(failure -> CompletableFuture.failedFuture(submittedWriteFailure(failure)));
    }

    /** Reads with the given consistency, giving up after {@code read-timeout}. */
    public CompletableFuture<ReadResult> read(byte[] query, ReadMode mode) {
        RaftStatus status = node.status();
        if (status.failed() || !status.running()) {
            return CompletableFuture.failedFuture(stopped(status));
        }
        return node.read(query, mode.consistency(), mode.minIndex())
                .orTimeout(properties.getReadTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .exceptionallyCompose(failure -> CompletableFuture.failedFuture(
                        RaftProblems.asUnavailable(failure).<Throwable>map(unavailable -> new RaftUnavailableException(
                                unavailable.type(), WriteOutcome.NOT_APPLIED, unavailable.getMessage(), failure))
                                .orElse(failure)));
    }

    private Optional<RaftUnavailableException> refusalBeforeSubmit() {
        RaftStatus status = node.status();
        if (status.failed() || !status.running()) {
            return Optional.of(stopped(status));
        }
        if (status.role() == Role.LEADER || (status.role() == Role.FOLLOWER && status.leaderId() != null)) {
            return Optional.empty();
        }
        return Optional.of(new RaftUnavailableException(RaftProblemType.NO_LEADER, WriteOutcome.NOT_APPLIED,
                "no Raft leader is known to " + nodeId + " right now (election in progress): retry later", null));
    }

    private RaftUnavailableException stopped(RaftStatus status) {
        String detail = status.failed()
                ? "node " + nodeId + " stopped itself after a fault (" + status.failure()
                + ") and must be restarted; its data is safe on disk"
                : "node " + nodeId + " is not running";
        return new RaftUnavailableException(RaftProblemType.NODE_STOPPED, WriteOutcome.NOT_APPLIED, detail,
                status.failure());
    }

    private Throwable submittedWriteFailure(Throwable failure) {
        Throwable cause = RaftProblems.unwrap(failure);
        if (!(cause instanceof RaftException || cause instanceof TimeoutException)) {
            return cause;
        }
        if (cause instanceof ProposalRefusedException) {
            return RaftProblems.asUnavailable(cause).orElseThrow();
        }
        RaftUnavailableException classified = RaftProblems.asUnavailable(cause).orElseThrow();
        return new RaftUnavailableException(classified.type(), WriteOutcome.UNKNOWN, classified.getMessage(), cause);
    }

    /** Adds a voting member ({@code host:raftPort}); call on the leader. */
    public CompletableFuture<Void> addMember(String id, String address) {
        return node.addMember(new ClusterConfig.Member(id, MemberAddress.parse(address).toString()));
    }

    /** Removes a voting member; call on the leader. */
    public CompletableFuture<Void> removeMember(String id) {
        return node.removeMember(id);
    }

    /** Records {@code url} as the HTTP address {@code memberId} published; call on the leader. */
    public CompletableFuture<Void> publishMemberUrl(String memberId, String url) {
        String checked = KitStateMachine.checkedUrl(url);
        if (node.status().config().member(memberId).isEmpty()) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("'" + memberId
                    + "' is not a member of the cluster"));
        }
        return submit(KitStateMachine.publishUrl(memberId, checked)).thenApply(result -> null);
    }

    /** This node's view of the cluster for {@code GET /v1/cluster}. */
    public ClusterView clusterView() {
        RaftStatus status = node.status();
        List<ClusterView.Member> members = new ArrayList<>();
        for (ClusterConfig.Member member : status.config().members()) {
            Role role;
            if (member.id().equals(nodeId)) {
                role = status.role();
            } else if (member.id().equals(status.leaderId())) {
                role = Role.LEADER;
            } else {
                role = Role.FOLLOWER;
            }
            Long matchIndex = null;
            if (status.isLeader()) {
                matchIndex = member.id().equals(nodeId) ? status.lastLogIndex() : status.matchIndex().get(member.id());
            }
            members.add(new ClusterView.Member(member.id(), MemberAddress.parse(member.address()).raftAddress(),
                    memberHttpUrl(member.id()).orElse(null), role.name(), matchIndex));
        }
        return new ClusterView(nodeId, status.leaderId(), status.term(), status.commitIndex(), status.appliedIndex(),
                members);
    }
}
