package io.flotilla.raft.server;

import io.flotilla.raft.ClusterConfig;
import io.flotilla.raft.CommandResult;
import io.flotilla.raft.LeadershipListener;
import io.flotilla.raft.RaftNode;
import io.flotilla.raft.RaftOptions;
import io.flotilla.raft.RaftStatus;
import io.flotilla.raft.ReadResult;
import io.flotilla.raft.Role;
import io.flotilla.raft.StateMachine;
import io.flotilla.raft.runtime.ThreadEventLoop;
import io.flotilla.raft.storage.file.FileRaftStorage;
import io.flotilla.raft.transport.netty.NettyTransport;
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

/**
 * One Raft node of a service, as a Spring bean: opens the data directory ({@link FileRaftStorage}, fsync on),
 * listens for peers ({@link NettyTransport}), runs the node on its own {@link ThreadEventLoop} and publishes
 * the {@code raft.*} meters. It starts before the web server and stops after it (see {@link #getPhase()}), so
 * the HTTP API never answers from a node that is not running.
 *
 * <p>Members are written {@code id@host:raftPort/httpPort} ({@link MemberAddress}); that is also the address
 * stored in the Raft configuration, so any node can name the leader's HTTP address for forwarding.
 */
public class RaftServer implements SmartLifecycle, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RaftServer.class);

    /** Reads waiting for a minimum index, and the ReadIndex round trip, give up after this long. */
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(10);

    private final String nodeId;
    private final MemberAddress selfAddress;
    private final RaftOptions options;
    private final Path dataDir;
    private final ThreadEventLoop eventLoop;
    private final RaftNode node;
    private final Object lifecycle = new Object();
    private volatile boolean running;
    private boolean closed;

    /**
     * Opens the data directory and builds the node; {@link #start()} starts it.
     *
     * @param serviceName names the default data directory {@code data/<serviceName>/<nodeId>}
     * @param serverPort  this node's HTTP port, advertised unless {@code http-port} or its peers entry says
     *                    otherwise
     * @param meters      where the {@code raft.*} meters go; may be null
     */
    public RaftServer(RaftServerProperties properties, String serviceName, StateMachine stateMachine, int serverPort,
                      MeterRegistry meters) {
        this.nodeId = properties.getNodeId();
        ClusterConfig initial = initialConfig(properties, serverPort);
        this.selfAddress = initial.member(nodeId).map(member -> MemberAddress.parse(member.address()))
                .orElseGet(() -> ownAddress(properties, serverPort));
        this.options = RaftOptions.defaults()
                .withElectionTimeout(properties.getElectionTimeoutMin(), properties.getElectionTimeoutMax())
                .withHeartbeatInterval(properties.getHeartbeatInterval())
                .withSnapshotThreshold(properties.getSnapshotThreshold());
        this.dataDir = properties.getDataDir() != null ? properties.getDataDir()
                : Path.of("data", serviceName, nodeId);
        Map<String, String> peers = new LinkedHashMap<>();
        initial.members().stream().filter(member -> !member.id().equals(nodeId))
                .forEach(member -> peers.put(member.id(), member.address()));
        String bindAddress = properties.getRaftHost() + ":" + selfAddress.raftPort();
        FileRaftStorage storage = FileRaftStorage.open(dataDir);
        this.eventLoop = new ThreadEventLoop("raft-" + nodeId);
        try {
            NettyTransport transport = new NettyTransport(nodeId, bindAddress,
                    MemberAddressTransport.raftAddresses(peers));
            this.node = RaftNode.builder()
                    .nodeId(nodeId)
                    .initialConfig(initial)
                    .storage(storage)
                    .transport(new MemberAddressTransport(transport))
                    .eventLoop(eventLoop)
                    .stateMachine(stateMachine)
                    .options(options)
                    .meterRegistry(meters)
                    .build();
        } catch (RuntimeException e) {
            storage.close();
            eventLoop.close();
            throw e;
        }
    }

    /**
     * The founding configuration: every peer, plus this node unless it is {@code joining} an existing cluster.
     */
    static ClusterConfig initialConfig(RaftServerProperties properties, int serverPort) {
        List<ClusterConfig.Member> members = new ArrayList<>();
        for (String peer : properties.getPeers()) {
            if (!peer.isBlank()) {
                members.add(MemberAddress.parsePeer(peer));
            }
        }
        String self = properties.getNodeId();
        Optional<ClusterConfig.Member> listed = members.stream().filter(m -> m.id().equals(self)).findFirst();
        if (listed.isPresent()) {
            MemberAddress address = MemberAddress.parse(listed.get().address());
            if (address.raftPort() != properties.getRaftPort()) {
                throw new IllegalArgumentException("node " + self + " is listed in peers with Raft port "
                        + address.raftPort() + " but raft-port is " + properties.getRaftPort());
            }
        } else if (!properties.isJoining()) {
            members.add(new ClusterConfig.Member(self, ownAddress(properties, serverPort).toString()));
        }
        return new ClusterConfig(members);
    }

    private static MemberAddress ownAddress(RaftServerProperties properties, int serverPort) {
        int httpPort = properties.getHttpPort() != 0 ? properties.getHttpPort() : serverPort;
        if (httpPort == 0) {
            throw new IllegalArgumentException("set http-port (or a fixed server.port): peers must know where "
                    + "node " + properties.getNodeId() + " answers HTTP");
        }
        return new MemberAddress(properties.getRaftHost(), properties.getRaftPort(), httpPort);
    }

    /** Listeners must be added before {@link #start()} to see the first election. */
    public void addLeadershipListener(LeadershipListener listener) {
        node.addLeadershipListener(listener);
    }

    @Override
    public void start() {
        synchronized (lifecycle) {
            if (running || closed) {
                return;
            }
            node.start();
            running = true;
            log.info("Raft node {} started at {} (data {}), members {}", nodeId, selfAddress, dataDir.toAbsolutePath(),
                    node.status().config().members());
        }
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

    public MemberAddress selfAddress() {
        return selfAddress;
    }

    public RaftNode node() {
        return node;
    }

    public RaftStatus status() {
        return node.status();
    }

    public boolean isLeader() {
        return running && node.status().isLeader();
    }

    /** How long a client should wait before retrying while no leader is known: one maximal election timeout. */
    public Duration retryAfter() {
        return options.electionTimeoutMax();
    }

    /** The current leader's HTTP base URL ({@code http://host:port}), when a leader other than this node is known. */
    public Optional<String> leaderHttpUrl() {
        RaftStatus status = node.status();
        if (status.leaderId() == null || status.leaderId().equals(nodeId)) {
            return Optional.empty();
        }
        return status.config().member(status.leaderId()).map(m -> MemberAddress.parse(m.address()).httpUrl());
    }

    /** Replicates a command; fails with a Raft exception that {@link RaftProblems} maps to a response. */
    public CompletableFuture<CommandResult> submit(byte[] command) {
        return node.submit(command);
    }

    /** Reads with the given consistency, giving up after {@link #READ_TIMEOUT}. */
    public CompletableFuture<ReadResult> read(byte[] query, ReadMode mode) {
        return node.read(query, mode.consistency(), mode.minIndex())
                .orTimeout(READ_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Adds a voting member ({@code host:raftPort[/httpPort]}); call on the leader. */
    public CompletableFuture<Void> addMember(String id, String address) {
        return node.addMember(new ClusterConfig.Member(id, MemberAddress.parse(address).toString()));
    }

    /** Removes a voting member; call on the leader. */
    public CompletableFuture<Void> removeMember(String id) {
        return node.removeMember(id);
    }

    /** This node's view of the cluster for {@code GET /v1/cluster}. */
    public ClusterView clusterView() {
        RaftStatus status = node.status();
        List<ClusterView.Member> members = new ArrayList<>();
        for (ClusterConfig.Member member : status.config().members()) {
            MemberAddress address = MemberAddress.parse(member.address());
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
            members.add(new ClusterView.Member(member.id(), member.address(), address.httpUrl(), role.name(),
                    matchIndex));
        }
        return new ClusterView(nodeId, status.leaderId(), status.term(), status.commitIndex(), status.appliedIndex(),
                members);
    }
}
