package io.flotilla.testsupport.redis;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.flotilla.testsupport.PortProbe;
import io.flotilla.testsupport.TestServerUnavailableException;

/**
 * An extra, independent {@code redis-server} started by a test on a free loopback port (for RedLock, which needs
 * several servers that fail separately). No persistence, so a killed server comes back empty, as a crashed
 * server without AOF would. The binary is {@code redis-server} on the PATH, or {@code FLOTILLA_REDIS_SERVER}.
 * Logs go to {@code target/process-logs/redis-<port>.log}.
 */
public final class RedisServerProcess implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    private final int port;
    private final Path logFile;
    private Process process;

    private RedisServerProcess(int port) {
        this.port = port;
        this.logFile = Path.of("target", "process-logs", "redis-" + port + ".log");
    }

    /** Starts a server on a free port and waits until it accepts connections. */
    public static RedisServerProcess start() {
        RedisServerProcess server = new RedisServerProcess(PortProbe.freePort());
        server.launch();
        return server;
    }

    private void launch() {
        String binary = System.getenv().getOrDefault("FLOTILLA_REDIS_SERVER", "redis-server");
        List<String> command = List.of(binary, "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--protected-mode", "no");
        try {
            Files.createDirectories(logFile.getParent());
            process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                .start();
        } catch (IOException e) {
            throw new TestServerUnavailableException("""
                    Could not run %s: this test starts its own Redis servers. Install redis-server \
                    (apt-get install redis-server) or point FLOTILLA_REDIS_SERVER at the binary.""".formatted(binary));
        }
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!PortProbe.isListening("127.0.0.1", port, 200)) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                kill();
                throw new IllegalStateException("redis-server on port " + port + " did not start; see " + logFile);
            }
            sleep(20);
        }
    }

    public int port() {
        return port;
    }

    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** {@code kill -9}: the server vanishes mid-flight, with whatever it held in memory. */
    public void kill() {
        if (process != null) {
            process.destroyForcibly();
            try {
                process.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Starts the server again on the same port, empty. */
    public void restart() {
        kill();
        launch();
    }

    @Override
    public void close() {
        kill();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return "redis-server " + uri();
    }
}
