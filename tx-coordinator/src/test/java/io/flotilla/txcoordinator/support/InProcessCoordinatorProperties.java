package io.flotilla.txcoordinator.support;

import io.flotilla.testsupport.PortProbe;
import org.springframework.test.context.DynamicPropertyRegistry;

import java.io.IOException;
import java.nio.file.Files;

/**
 * What a coordinator started in-process by {@code @SpringBootTest} needs to be a node of its own: a fresh data
 * directory for its Raft log, a free Raft port, and a fixed free HTTP port (the node advertises it to its peers, so
 * it is chosen before start rather than left to the server).
 */
public final class InProcessCoordinatorProperties {

    private InProcessCoordinatorProperties() {
    }

    /** Call from the test class's {@code @DynamicPropertySource}; {@code dataDirPrefix} names its temporary directory. */
    public static void register(DynamicPropertyRegistry registry, String dataDirPrefix) throws IOException {
        String dataDir = Files.createTempDirectory(dataDirPrefix).toString();
        int raftPort = PortProbe.freePort();
        int httpPort = PortProbe.freePort();
        registry.add("flotilla.coordinator.data-dir", () -> dataDir);
        registry.add("flotilla.coordinator.raft-port", () -> raftPort);
        registry.add("server.port", () -> httpPort);
    }
}
