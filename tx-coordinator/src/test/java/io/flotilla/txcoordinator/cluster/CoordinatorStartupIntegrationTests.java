package io.flotilla.txcoordinator.cluster;

import io.flotilla.testsupport.PortProbe;
import io.flotilla.testsupport.process.JavaProcess;
import io.flotilla.txcoordinator.TxCoordinatorApplication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The coordinator's start-up tells the truth, as a real process: before the kit, a coordinator whose Raft port was
 * taken logged a fail-stop and then reported UP forever, and a fresh node reported ready about 1.7 s before it
 * stopped answering 503.
 */
class CoordinatorStartupIntegrationTests {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dataDir;

    @Test
    void aCoordinatorWhoseRaftPortIsTakenExitsNonZeroAndNamesThePortAndTheProperty() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
             JavaProcess coordinator = coordinator(PortProbe.freePort(), taken.getLocalPort(), "/actuator/health")) {
            assertThatThrownBy(coordinator::start)
                    .hasMessageContaining("exited with 1")
                    .hasMessageContaining("port " + taken.getLocalPort() + " is already in use")
                    .hasMessageContaining("flotilla.coordinator.raft-port");
        }
    }

    @Test
    void theFirstTransactionAfterReadinessIsUpIsBegunWithoutARetry() throws Exception {
        int httpPort = PortProbe.freePort();
        try (JavaProcess coordinator = coordinator(httpPort, PortProbe.freePort(), "/actuator/health/readiness")) {
            coordinator.start();
            HttpResponse<String> begun = begin("http://127.0.0.1:" + httpPort);
            assertThat(begun.statusCode()).as(begun.body()).isEqualTo(201);
        }
    }

    /** Last release's names still start a node, on the ports they name, with a warning naming the new ones. */
    @Test
    void theOldPropertyNamesStillWorkForThisReleaseWithADeprecationWarning() throws Exception {
        int httpPort = PortProbe.freePort();
        int raftPort = PortProbe.freePort();
        try (JavaProcess coordinator = JavaProcess.builder("coordinator-old-names", TxCoordinatorApplication.class)
                .args("--server.port=" + httpPort, "--flotilla.tx.raft-port=" + raftPort,
                        "--flotilla.tx.data-dir=" + dataDir.resolve("old-names"), "--spring.main.banner-mode=off")
                .healthUrl("http://127.0.0.1:" + httpPort + "/actuator/health/readiness")
                .startTimeout(Duration.ofSeconds(240))
                .build()) {
            coordinator.start();
            String cluster = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort
                    + "/v1/cluster")).build(), HttpResponse.BodyHandlers.ofString()).body();
            assertThat(cluster).contains("\"address\":\"127.0.0.1:" + raftPort + "\"");
            assertThat(Files.readString(coordinator.logFile()))
                    .contains("flotilla.tx.raft-port is deprecated: use flotilla.coordinator.raft-port");
        }
    }

    /** Before the kit, a Raft-port-only peer list on other ports than the defaults failed two writes in three. */
    @Test
    void threeNodesWithARaftPortOnlyPeerListOnArbitraryPortsEachBeginATransaction() throws Exception {
        int[] http = CoordinatorNode.freePorts(3);
        int[] raft = CoordinatorNode.freePorts(3);
        String peers = CoordinatorNode.peers(http, raft);
        List<CoordinatorNode> nodes = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                String id = "tx" + (i + 1);
                nodes.add(CoordinatorNode.create(id, http[i], raft[i], peers, dataDir.resolve(id), "tx-peers-" + id));
            }
            CompletableFuture.allOf(nodes.stream().map(node -> CompletableFuture.runAsync(node.process::start))
                    .toArray(CompletableFuture[]::new)).join();
            for (CoordinatorNode node : nodes) {
                HttpResponse<String> begun = begin(node.baseUrl());
                assertThat(begun.statusCode()).as("begin at %s: %s", node.id, begun.body()).isEqualTo(201);
            }
            String cluster = HTTP.send(HttpRequest.newBuilder(URI.create(nodes.getFirst().baseUrl() + "/v1/cluster"))
                    .build(), HttpResponse.BodyHandlers.ofString()).body();
            for (CoordinatorNode node : nodes) {
                assertThat(cluster).as("published address").contains("\"httpAddress\":\"" + node.baseUrl() + "\"");
            }
        } finally {
            nodes.forEach(CoordinatorNode::close);
        }
    }

    private static HttpResponse<String> begin(String baseUrl) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl + "/v1/transactions"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"mode\":\"TCC\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private JavaProcess coordinator(int httpPort, int raftPort, String healthPath) {
        return JavaProcess.builder("coordinator-startup-" + raftPort, TxCoordinatorApplication.class)
                .args("--server.port=" + httpPort,
                        "--flotilla.coordinator.raft-port=" + raftPort,
                        "--flotilla.coordinator.data-dir=" + dataDir.resolve("n" + raftPort),
                        "--spring.main.banner-mode=off")
                .healthUrl("http://127.0.0.1:" + httpPort + healthPath)
                .startTimeout(Duration.ofSeconds(240))
                .build();
    }
}
