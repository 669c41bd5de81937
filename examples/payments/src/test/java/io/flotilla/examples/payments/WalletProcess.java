package io.flotilla.examples.payments;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.springframework.web.client.RestClient;

import static org.awaitility.Awaitility.await;

/**
 * The wallet example started as its own process from its runnable jar (a test dependency), as it runs in
 * production: its own JVM, class path and {@code application.yml}. Output in {@code target/wallet.log}.
 */
final class WalletProcess implements AutoCloseable {

    private final Process process;
    private final URI address;
    private final Path log;

    private WalletProcess(Process process, URI address, Path log) {
        this.process = process;
        this.address = address;
        this.log = log;
    }

    /** Starts the wallet with {@code properties} ({@code --name=value}) and waits until it answers. */
    static WalletProcess start(List<String> properties) {
        int port = freePort();
        Path log = Path.of("target", "wallet.log");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", walletJar().toString(), "--server.port=" + port));
        command.addAll(properties);
        try {
            Files.createDirectories(log.getParent());
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            WalletProcess wallet = new WalletProcess(process, URI.create("http://127.0.0.1:" + port), log);
            Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
            wallet.awaitUp();
            return wallet;
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Where the test reads balances directly (the payments app finds the wallet through the registry). */
    URI address() {
        return address;
    }

    int port() {
        return address.getPort();
    }

    private void awaitUp() {
        RestClient client = RestClient.create(address.toString());
        // A Spring Boot start can take minutes on a loaded 2-core CI machine.
        await("the wallet process answering (log: " + log.toAbsolutePath() + ")").atMost(Duration.ofMinutes(4))
            .pollInterval(Duration.ofMillis(200))
            .ignoreExceptions()
            .until(() -> {
                if (!process.isAlive()) {
                    throw new IllegalStateException("the wallet exited:\n" + Files.readString(log));
                }
                return client.get().uri("/actuator/health").retrieve().toBodilessEntity().getStatusCode().is2xxSuccessful();
            });
    }

    @Override
    public void close() {
        process.destroy();
        try {
            process.waitFor();
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    private static Path walletJar() {
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
            .filter(entry -> new File(entry).getName().matches("wallet-.*\\.jar"))
            .map(Path::of)
            .findFirst()
            .orElseThrow(() -> new IllegalStateException("the wallet's runnable jar is not on the test class path: "
                    + "build it in the same reactor (./mvnw verify -pl examples/payments -am)"));
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
