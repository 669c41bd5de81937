package io.flotilla.registry.support;

import io.flotilla.registryservice.RegistryServiceApplication;
import io.flotilla.testsupport.PortProbe;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A real registry-service node (its Spring Boot application, Raft log on disk, HTTP and Raft on free ports)
 * started in this JVM, alone or as one of a cluster. The starter on the test class path is switched off inside it, so the registry does not
 * try to register itself.
 */
public final class RegistryTestServer implements AutoCloseable {

    private final String nodeId;

    private final int httpPort;

    private final int raftPort;

    private final Path dataDir;

    private final List<String> extraArgs;

    private ConfigurableApplicationContext context;

    private RegistryTestServer(String nodeId, int httpPort, int raftPort, List<String> extraArgs) throws IOException {
        this.nodeId = nodeId;
        this.httpPort = httpPort;
        this.raftPort = raftPort;
        this.dataDir = Files.createTempDirectory("flotilla-registry-test");
        this.extraArgs = extraArgs;
    }

    private static RegistryTestServer shared;

    /**
     * One single-node registry shared by the test classes that only read and write through it (each uses names
     * of its own), started on first use and stopped when the test JVM exits: a node start is the slow part of
     * these tests on a busy machine.
     */
    public static synchronized RegistryTestServer shared() throws IOException {
        if (shared == null) {
            RegistryTestServer server = start();
            Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "registry-test-server-stop"));
            shared = server;
        }
        return shared;
    }

    /**
     * Starts a node and waits until it leads its one-node cluster.
     *
     * @param extraArgs further {@code --name=value} arguments, e.g. a token
     */
    public static RegistryTestServer start(String... extraArgs) throws IOException {
        RegistryTestServer server = new RegistryTestServer("n1", PortProbe.freePort(), PortProbe.freePort(),
                List.of(extraArgs));
        server.startContext();
        server.awaitLeader();
        return server;
    }

    /**
     * Starts a cluster of {@code size} nodes ({@code n1}, {@code n2}, ...) and waits until every node knows the
     * leader.
     */
    public static List<RegistryTestServer> startCluster(int size) throws IOException {
        List<Integer> httpPorts = new ArrayList<>();
        List<Integer> raftPorts = new ArrayList<>();
        List<String> peers = new ArrayList<>();
        for (int i = 1; i <= size; i++) {
            httpPorts.add(PortProbe.freePort());
            raftPorts.add(PortProbe.freePort());
            peers.add("n" + i + "@127.0.0.1:" + raftPorts.getLast());
        }
        List<RegistryTestServer> nodes = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            nodes.add(new RegistryTestServer("n" + (i + 1), httpPorts.get(i), raftPorts.get(i),
                    List.of("--flotilla.registry.server.peers=" + String.join(",", peers))));
        }
        for (RegistryTestServer node : nodes) {
            node.startContext();
        }
        for (RegistryTestServer node : nodes) {
            node.awaitLeader();
        }
        return nodes;
    }

    /** @return this node's id */
    public String nodeId() {
        return this.nodeId;
    }

    /** @return the leader this node knows of, or {@code null} */
    public String leaderId() {
        String view = clusterView();
        int at = view.indexOf("\"leaderId\":\"");
        if (at < 0) {
            return null;
        }
        int start = at + "\"leaderId\":\"".length();
        return view.substring(start, view.indexOf('"', start));
    }

    private String clusterView() {
        try {
            return HttpClient.newHttpClient()
                .send(HttpRequest.newBuilder(address().resolve("/v1/cluster")).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
        }
        catch (IOException ex) {
            return "";
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    private void startContext() {
        List<String> args = new ArrayList<>(List.of("--server.port=" + this.httpPort,
                "--flotilla.registry.server.node-id=" + this.nodeId, "--flotilla.registry.server.raft-host=127.0.0.1",
                "--flotilla.registry.server.raft-port=" + this.raftPort, "--flotilla.registry.server.data-dir=" + this.dataDir,
                "--flotilla.registry.enabled=false", "--spring.jmx.enabled=false"));
        args.addAll(this.extraArgs);
        this.context = new SpringApplicationBuilder(RegistryServiceApplication.class).run(args.toArray(String[]::new));
    }

    /** @return the node's HTTP address */
    public URI address() {
        return URI.create("http://127.0.0.1:" + this.httpPort);
    }

    /** Stops the node (its port then refuses connections); {@link #restart()} brings it back on the same ports. */
    public void stop() {
        if (this.context != null) {
            this.context.close();
            this.context = null;
        }
    }

    /** Starts the node again from its data directory. */
    public void restart() {
        stop();
        startContext();
        awaitLeader();
    }

    private void awaitLeader() {
        HttpClient client = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> response = client.send(HttpRequest.newBuilder(address().resolve("/v1/cluster"))
                    .timeout(Duration.ofSeconds(5))
                    .build(), HttpResponse.BodyHandlers.ofString());
                last = response.body();
                if (response.statusCode() == 200 && last.contains("\"leaderId\":\"n")) {
                    return;
                }
            }
            catch (IOException ex) {
                last = ex.toString();
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(ex);
            }
            try {
                Thread.sleep(50);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(ex);
            }
        }
        throw new IllegalStateException("Registry node " + this.nodeId + " knew no leader within 60s; last answer: "
                + last);
    }

    @Override
    public void close() {
        stop();
    }
}
