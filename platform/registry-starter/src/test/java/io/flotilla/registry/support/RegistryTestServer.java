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
 * A real single-node registry-service (its Spring Boot application, Raft log on disk, HTTP on a free port)
 * started in this JVM. The starter on the test class path is switched off inside it, so the registry does not
 * try to register itself.
 */
public final class RegistryTestServer implements AutoCloseable {

    private final int httpPort;

    private final int raftPort;

    private final Path dataDir;

    private final List<String> extraArgs;

    private ConfigurableApplicationContext context;

    private RegistryTestServer(List<String> extraArgs) throws IOException {
        this.httpPort = PortProbe.freePort();
        this.raftPort = PortProbe.freePort();
        this.dataDir = Files.createTempDirectory("flotilla-registry-test");
        this.extraArgs = extraArgs;
    }

    /**
     * Starts a node and waits until it leads its one-node cluster.
     *
     * @param extraArgs further {@code --name=value} arguments, e.g. a token
     */
    public static RegistryTestServer start(String... extraArgs) throws IOException {
        RegistryTestServer server = new RegistryTestServer(List.of(extraArgs));
        server.startContext();
        return server;
    }

    private void startContext() {
        List<String> args = new ArrayList<>(List.of("--server.port=" + this.httpPort,
                "--flotilla.registry.node-id=n1", "--flotilla.registry.raft-host=127.0.0.1",
                "--flotilla.registry.raft-port=" + this.raftPort, "--flotilla.registry.data-dir=" + this.dataDir,
                "--flotilla.registry.enabled=false", "--spring.jmx.enabled=false"));
        args.addAll(this.extraArgs);
        this.context = new SpringApplicationBuilder(RegistryServiceApplication.class).run(args.toArray(String[]::new));
        awaitLeader();
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
                if (response.statusCode() == 200 && last.contains("\"leaderId\":\"n1\"")) {
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
        throw new IllegalStateException("Registry node did not become leader within 60s; last answer: " + last);
    }

    @Override
    public void close() {
        stop();
    }
}
