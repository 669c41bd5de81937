package io.flotilla.lockservice.locks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;

import com.jayway.jsonpath.JsonPath;
import io.flotilla.lock.core.LockBackend;
import io.flotilla.lock.registry.RegistryLockBackend;
import io.flotilla.registryservice.RegistryServiceApplication;
import io.flotilla.testsupport.PortProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The service with {@code flotilla.lock.backend=registry} and the registry's addresses, nothing else (as
 * {@code scripts/shop.stack} starts it), against a real registry-service node in this JVM.
 */
@SpringBootTest(properties = "flotilla.lock.backend=registry")
@AutoConfigureMockMvc
class RegistryBackendIntegrationTests {

    static final int REGISTRY_PORT = PortProbe.freePort();
    static final ConfigurableApplicationContext registry = startRegistry();

    @DynamicPropertySource
    static void registry(DynamicPropertyRegistry properties) {
        properties.add("flotilla.registry.addresses", () -> "http://127.0.0.1:" + REGISTRY_PORT);
    }

    @AfterAll
    static void stopRegistry() {
        registry.close();
    }

    @Autowired
    MockMvc mvc;

    @Autowired
    LockBackend backend;

    @Test
    void locksLiveInTheRegistryWithALeasePerOwner() throws Exception {
        assertThat(backend).isInstanceOf(RegistryLockBackend.class);
        assertThat(backend.toString()).contains("lease per acquisition");
        String body = mvc.perform(post("/v1/locks/shipment").contentType(MediaType.APPLICATION_JSON)
            .content("{\"owner\":\"w1\",\"leaseMs\":30000}")).andExpect(status().isOk())
            .andReturn().getResponse().getContentAsString();
        long token = ((Number) JsonPath.read(body, "$.fencingToken")).longValue();
        mvc.perform(post("/v1/locks/shipment").contentType(MediaType.APPLICATION_JSON)
            .content("{\"owner\":\"w2\",\"leaseMs\":30000,\"waitMs\":200}")).andExpect(status().isConflict());
        mvc.perform(get("/v1/locks/shipment")).andExpect(jsonPath("$.owner").value("w1"))
            .andExpect(jsonPath("$.fencingToken").value(token));
        mvc.perform(delete("/v1/locks/shipment").param("owner", "w2")).andExpect(status().isConflict());
        mvc.perform(delete("/v1/locks/shipment").param("owner", "w1")).andExpect(status().isNoContent());
        mvc.perform(get("/v1/locks/shipment")).andExpect(status().isNotFound());
    }

    private static ConfigurableApplicationContext startRegistry() {
        try {
            ConfigurableApplicationContext context = new SpringApplicationBuilder(RegistryServiceApplication.class).run(
                    "--server.port=" + REGISTRY_PORT, "--flotilla.registry.server.node-id=n1",
                    "--flotilla.registry.server.raft-host=127.0.0.1", "--flotilla.registry.server.raft-port=" + PortProbe.freePort(),
                    "--flotilla.registry.server.data-dir=" + Files.createTempDirectory("lock-service-registry"),
                    "--flotilla.registry.enabled=false", "--spring.jmx.enabled=false");
            awaitLeader();
            return context;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void awaitLeader() {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + REGISTRY_PORT + "/v1/cluster")).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200 && response.body().contains("\"leaderId\":\"n1\"")) {
                    return;
                }
                Thread.sleep(50);
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException("registry did not elect itself within 60 s");
    }
}
