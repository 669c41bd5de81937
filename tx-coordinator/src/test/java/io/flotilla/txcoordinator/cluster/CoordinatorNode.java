package io.flotilla.txcoordinator.cluster;

import io.flotilla.testsupport.PortProbe;
import io.flotilla.testsupport.process.JavaProcess;
import io.flotilla.testsupport.process.TestCoordinator;
import io.flotilla.txcoordinator.TxCoordinatorApplication;

import java.nio.file.Path;
import java.time.Duration;

/** One coordinator node as a real process: its ports, its data directory (kept across restarts) and its process. */
final class CoordinatorNode implements AutoCloseable {

    final String id;
    final int httpPort;
    final int raftPort;
    final JavaProcess process;

    private CoordinatorNode(String id, int httpPort, int raftPort, JavaProcess process) {
        this.id = id;
        this.httpPort = httpPort;
        this.raftPort = raftPort;
        this.process = process;
    }

    /** The peers list naming every node by its Raft address (each publishes its HTTP address itself). */
    static String peers(int[] httpPorts, int[] raftPorts) {
        StringBuilder peers = new StringBuilder();
        for (int i = 0; i < httpPorts.length; i++) {
            if (i > 0) {
                peers.append(',');
            }
            peers.append("tx").append(i + 1).append("@127.0.0.1:").append(raftPorts[i]);
        }
        return peers.toString();
    }

    static int[] freePorts(int count) {
        int[] ports = new int[count];
        for (int i = 0; i < count; i++) {
            ports[i] = PortProbe.freePort();
        }
        return ports;
    }

    static CoordinatorNode create(String id, int httpPort, int raftPort, String peers, Path dataDir, String logName) {
        JavaProcess.Builder builder = JavaProcess.builder(logName, TxCoordinatorApplication.class)
                .args("--server.port=" + httpPort,
                        "--flotilla.coordinator.node-id=" + id,
                        "--flotilla.coordinator.raft-port=" + raftPort,
                        "--flotilla.coordinator.data-dir=" + dataDir,
                        "--flotilla.coordinator.phase-two.signing-keys=" + TestCoordinator.PHASE_TWO_KEY,
                        // Generous elections: on a loaded machine short ones make leadership churn for nothing.
                        "--flotilla.coordinator.election-timeout-min=1000ms",
                        "--flotilla.coordinator.election-timeout-max=2000ms",
                        "--flotilla.coordinator.heartbeat-interval=100ms",
                        // Snapshots every few entries, so a restart goes through restore() and then the log after it.
                        "--flotilla.coordinator.snapshot-threshold=4",
                        "--flotilla.coordinator.phase-two.initial-backoff=100ms",
                        "--flotilla.coordinator.phase-two.max-backoff=500ms",
                        "--flotilla.coordinator.phase-two.reconcile-interval=500ms",
                        "--spring.main.banner-mode=off")
                .healthUrl("http://127.0.0.1:" + httpPort + "/actuator/health")
                .startTimeout(Duration.ofSeconds(300));
        if (peers != null) {
            builder.args("--flotilla.coordinator.peers=" + peers);
        }
        return new CoordinatorNode(id, httpPort, raftPort, builder.build());
    }

    String baseUrl() {
        return "http://127.0.0.1:" + httpPort;
    }

    @Override
    public void close() {
        process.close();
    }
}
