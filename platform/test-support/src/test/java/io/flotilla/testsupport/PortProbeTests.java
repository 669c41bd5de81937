package io.flotilla.testsupport;

import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** Free ports handed out to two test JVMs at once are never the same port. */
class PortProbeTests {

    private static final int DRAWS = 1_500;

    /** Draws ports in a JVM of its own and prints them, one per line. */
    public static final class Drawer {
        public static void main(String[] args) {
            for (int i = 0; i < Integer.parseInt(args[0]); i++) {
                System.out.println(PortProbe.freePort());
            }
        }
    }

    @Test
    void twoJvmsDrawingAtOnceGetDisjointPorts() throws Exception {
        Process other = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), Drawer.class.getName(), Integer.toString(DRAWS))
            .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        Set<Integer> mine = new HashSet<>();
        for (int i = 0; i < DRAWS; i++) {
            mine.add(PortProbe.freePort());
        }
        Set<Integer> theirs = Arrays.stream(new String(other.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
                .split("\\R")).filter(line -> !line.isBlank()).map(Integer::valueOf).collect(Collectors.toSet());

        assertThat(other.waitFor()).isZero();
        assertThat(mine).hasSize(DRAWS);
        assertThat(theirs).hasSize(DRAWS).doesNotContainAnyElementsOf(mine);
    }

    @Test
    void aPortHandedOutIsBindableAndMarkedForTheOtherJvms() throws Exception {
        int port = PortProbe.freePort();
        assertThat(port).isBetween(20_000, 60_999);
        try (java.net.ServerSocket socket = new java.net.ServerSocket()) {
            socket.bind(new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), port));
        }
        assertThat(List.of(new File(System.getProperty("java.io.tmpdir"), "flotilla-test-ports").list()))
            .contains(Integer.toString(port));
    }
}
