package io.flotilla.test;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The embedded servers' ports: the web server picks its own, and a Raft port that another process bound after it was
 * probed is traded for the next instead of failing the user's test.
 */
class EmbeddedServerPortsIntegrationTests {

    @TempDir
    Path data;

    @Test
    void aRaftPortTakenBeforeTheServiceBindsItIsReplacedByTheNext() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
                ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            int free = probe.getLocalPort();
            probe.close();
            Iterator<Integer> raftPorts = List.of(taken.getLocalPort(), free).iterator();

            EmbeddedFlotillaServers.Started registry = EmbeddedFlotillaServers.startRegistry(
                    Files.createDirectories(data), "token", raftPorts::next);
            try (var application = registry.application(); HttpClient http = HttpClient.newHttpClient()) {
                HttpResponse<String> cluster = http.send(
                        HttpRequest.newBuilder(registry.address().resolve("/v1/cluster")).build(),
                        HttpResponse.BodyHandlers.ofString());

                assertThat(cluster.statusCode()).isEqualTo(200);
                assertThat(cluster.body()).contains("127.0.0.1:" + free).doesNotContain(":" + taken.getLocalPort());
                assertThat(registry.address().getPort()).isPositive().isNotEqualTo(taken.getLocalPort());
            }
        }
    }
}
