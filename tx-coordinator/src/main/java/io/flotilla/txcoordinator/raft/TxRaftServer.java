package io.flotilla.txcoordinator.raft;

import io.flotilla.raft.ClusterConfig;
import io.flotilla.raft.RaftNode;
import io.flotilla.raft.RaftOptions;
import io.flotilla.raft.runtime.ThreadEventLoop;
import io.flotilla.raft.storage.file.FileRaftStorage;
import io.flotilla.raft.transport.netty.NettyTransport;
import io.flotilla.txcoordinator.config.TxProperties;
import io.flotilla.txcoordinator.state.TxChangeListener;
import io.flotilla.txcoordinator.state.TxStateMachine;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * This node's Raft member: file storage in {@code flotilla.tx.data-dir}, Netty on the Raft port, one event loop,
 * the {@link TxStateMachine}. Built when the bean is created (so leadership listeners can be added), started
 * with the application context and closed with it.
 */
public final class TxRaftServer implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(TxRaftServer.class);

    private final ThreadEventLoop loop;
    private final RaftNode node;
    private final TxLog txLog;
    private volatile boolean running;

    public TxRaftServer(TxProperties properties, TxChangeListener listener, MeterRegistry meterRegistry) {
        ClusterConfig config = clusterConfig(properties);
        String self = config.member(properties.getNodeId()).orElseThrow().address();
        Map<String, String> peers = new LinkedHashMap<>();
        config.members().stream().filter(member -> !member.id().equals(properties.getNodeId()))
                .forEach(member -> peers.put(member.id(), member.address()));
        try {
            Files.createDirectories(properties.getDataDir());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create data directory " + properties.getDataDir(), e);
        }
        RaftOptions options = RaftOptions.defaults()
                .withElectionTimeout(properties.getElectionTimeoutMin(), properties.getElectionTimeoutMax())
                .withHeartbeatInterval(properties.getHeartbeatInterval())
                .withSnapshotThreshold(properties.getSnapshotThreshold());
        this.loop = new ThreadEventLoop("raft-" + properties.getNodeId());
        this.node = RaftNode.builder().nodeId(properties.getNodeId()).initialConfig(config)
                .storage(FileRaftStorage.open(properties.getDataDir()))
                .transport(new NettyTransport(properties.getNodeId(), bindAddress(properties, self), peers))
                .eventLoop(loop).stateMachine(new TxStateMachine(listener)).options(options)
                .meterRegistry(meterRegistry).build();
        this.txLog = new TxLog(node);
    }

    /** {@code peers} as {@code id=host:port}; without peers, one member at raft-host:raft-port. */
    static ClusterConfig clusterConfig(TxProperties properties) {
        List<ClusterConfig.Member> members = new ArrayList<>();
        if (properties.getPeers().isEmpty()) {
            members.add(new ClusterConfig.Member(properties.getNodeId(),
                    properties.getRaftHost() + ":" + properties.getRaftPort()));
        }
        for (String peer : properties.getPeers()) {
            int equals = peer.indexOf('=');
            if (equals < 1 || equals == peer.length() - 1) {
                throw new IllegalArgumentException("flotilla.tx.peers entries are id=host:port, got '" + peer + "'");
            }
            members.add(new ClusterConfig.Member(peer.substring(0, equals).trim(), peer.substring(equals + 1).trim()));
        }
        ClusterConfig config = new ClusterConfig(members);
        if (!config.contains(properties.getNodeId())) {
            throw new IllegalArgumentException("flotilla.tx.node-id " + properties.getNodeId()
                    + " is not among flotilla.tx.peers " + properties.getPeers());
        }
        return config;
    }

    /** Binds on raft-host with the port the peers list gives this node, so one list serves every member. */
    private static String bindAddress(TxProperties properties, String advertised) {
        String port = advertised.substring(advertised.lastIndexOf(':') + 1);
        return properties.getRaftHost() + ":" + port;
    }

    public RaftNode node() {
        return node;
    }

    public TxLog txLog() {
        return txLog;
    }

    @Override
    public void start() {
        node.start();
        running = true;
        log.info("Raft node {} started: {}", node.id(), node.status().config());
    }

    @Override
    public void stop() {
        running = false;
        try {
            node.close();
        } finally {
            loop.close();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Starts before the web server takes requests and stops after it stopped taking them. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 4096;
    }
}
