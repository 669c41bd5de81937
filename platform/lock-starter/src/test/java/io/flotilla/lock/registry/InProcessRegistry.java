package io.flotilla.lock.registry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import io.flotilla.registryservice.RegistryServiceApplication;
import io.flotilla.testsupport.PortProbe;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** The real registry-service, one Raft node with its log on disk, started in this JVM on free ports. */
final class InProcessRegistry implements AutoCloseable {

    private final int httpPort = PortProbe.freePort();
    private final ConfigurableApplicationContext context;

    InProcessRegistry() {
        Path dataDir;
        try {
            dataDir = Files.createTempDirectory("flotilla-lock-registry");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.context = new SpringApplicationBuilder(RegistryServiceApplication.class).run(
                "--server.port=" + httpPort, "--flotilla.registry.server.node-id=n1",
                "--flotilla.registry.server.raft-host=127.0.0.1", "--flotilla.registry.server.raft-port=" + PortProbe.freePort(),
                "--flotilla.registry.server.data-dir=" + dataDir, "--flotilla.registry.enabled=false",
                "--spring.jmx.enabled=false");
        awaitLeader();
    }

    URI address() {
        return URI.create("http://127.0.0.1:" + httpPort);
    }

    private void awaitLeader() {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(address().resolve("/v1/cluster"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                last = response.body();
                if (response.statusCode() == 200 && last.contains("\"leaderId\":\"n1\"")) {
                    return;
                }
                Thread.sleep(50);
            } catch (IOException e) {
                last = e.toString();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException("registry did not elect itself within 60 s: " + last);
    }

    @Override
    public void close() {
        context.close();
    }
}
