package io.flotilla.registry.config;

import io.flotilla.registry.api.InstanceView;
import io.flotilla.registry.client.InstanceSpec;
import io.flotilla.registry.client.QueryOptions;
import io.flotilla.registry.client.RegistryClient;
import io.flotilla.registryservice.RegistryServiceApplication;
import io.flotilla.testsupport.PortProbe;
import io.flotilla.testsupport.tls.TestCertificates;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ConfigurableApplicationContext;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Three registry-service nodes in this JVM with everything on TLS from one CA made for the test: HTTPS that also
 * requires a client certificate ({@code server.ssl.bundle}, {@code server.ssl.client-auth=need}) and mutual TLS on
 * the Raft port ({@code flotilla.registry.server.ssl-bundle}), on free ports with Raft-port-only peer lists. Each node
 * publishes an {@code https://} address, a write sent to a follower reaches the leader as a proposal over the mutual
 * TLS Raft transport and a linearizable read sent to a follower is forwarded to it over HTTPS (the kit's client
 * presenting the node's key), the starter's {@link RegistryClient} registers and reads with nothing but
 * {@code flotilla.registry.ssl-bundle}, and a client that does not trust the CA, or holds no certificate from it,
 * gets nowhere.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class RegistryTlsIntegrationTests {

    private static final Duration PATIENCE = Duration.ofSeconds(90);
    private static final Pattern LEADER = Pattern.compile("\"leaderId\"\\s*:\\s*\"([^\"]+)\"");

    @TempDir
    static Path root;

    private TestCertificates ca;
    private Path clientKeyStore;
    private HttpClient trusting;
    private final List<Integer> httpPorts = new ArrayList<>();
    private final List<Integer> raftPorts = new ArrayList<>();
    private final List<ConfigurableApplicationContext> nodes = new ArrayList<>();

    @BeforeAll
    void startCluster() {
        ca = TestCertificates.authority(root.resolve("pki"), "Flotilla Registry Test CA");
        Path nodeKeyStore = ca.issue("registry-node", "127.0.0.1", "localhost");
        clientKeyStore = ca.issue("registry-client");
        trusting = HttpClient.newBuilder().sslContext(ca.sslContext(clientKeyStore))
                .connectTimeout(Duration.ofSeconds(5)).build();
        List<String> peers = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            httpPorts.add(PortProbe.freePort());
            raftPorts.add(PortProbe.freePort());
            peers.add("n" + i + "@127.0.0.1:" + raftPorts.getLast());
        }
        List<CompletableFuture<ConfigurableApplicationContext>> starting = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            List<String> args = new ArrayList<>(List.of("--server.port=" + httpPorts.get(i),
                    "--server.address=127.0.0.1",
                    "--server.ssl.bundle=node",
                    "--server.ssl.client-auth=need",
                    "--flotilla.registry.server.ssl-bundle=node",
                    "--flotilla.registry.server.node-id=n" + (i + 1),
                    "--flotilla.registry.server.raft-host=127.0.0.1",
                    "--flotilla.registry.server.raft-port=" + raftPorts.get(i),
                    "--flotilla.registry.server.peers=" + String.join(",", peers),
                    "--flotilla.registry.server.data-dir=" + root.resolve("n" + (i + 1)),
                    "--flotilla.registry.enabled=false", "--spring.jmx.enabled=false",
                    "--spring.main.banner-mode=off"));
            ca.jksBundle("node", nodeKeyStore).forEach((name, value) -> args.add("--" + name + "=" + value));
            // Started side by side: each waits in its Raft start-up for nobody, and a JVM here is slow.
            starting.add(CompletableFuture.supplyAsync(() -> new SpringApplicationBuilder(
                    RegistryServiceApplication.class).run(args.toArray(String[]::new))));
        }
        starting.forEach(node -> nodes.add(node.join()));
        for (int i = 0; i < 3; i++) {
            int node = i;
            await("node n" + (node + 1) + " ready over HTTPS",
                    () -> send(node, HttpRequest.newBuilder(uri(node, "/actuator/health/readiness"))).statusCode() == 200);
        }
    }

    @AfterAll
    void stopCluster() {
        nodes.forEach(ConfigurableApplicationContext::close);
    }

    @Test
    void everyNodePublishesItsHttpsAddress() {
        String view = send(0, HttpRequest.newBuilder(uri(0, "/v1/cluster"))).body();
        for (int port : httpPorts) {
            assertThat(view).contains("\"https://127.0.0.1:" + port + "\"");
        }
        assertThat(view).doesNotContain("http://");
    }

    @Test
    void raftPortsSpeakTlsWithTheNodesCertificate() throws IOException {
        SSLContext context = ca.sslContext(clientKeyStore);
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", raftPorts.get(1))) {
            socket.startHandshake();
            X509Certificate presented = (X509Certificate) socket.getSession().getPeerCertificates()[0];
            assertThat(presented.getSubjectX500Principal().getName()).isEqualTo("CN=registry-node");
        }
    }

    /**
     * A follower cannot commit a write alone: it succeeds only if the follower's proposal reached the leader over the
     * TLS Raft transport. The linearizable reads at the followers succeed only if they were forwarded over HTTPS.
     */
    @Test
    void aWriteSentToAFollowerReachesTheLeaderAndReadsAreForwardedOverTls() {
        await("a write accepted through a follower", () -> {
            int follower = follower();
            HttpResponse<String> answer = send(follower, HttpRequest.newBuilder(uri(follower, "/v1/kv/tls/forwarded"))
                    .PUT(HttpRequest.BodyPublishers.ofString("through n" + (follower + 1))));
            // 503 while an election intervenes: the put is idempotent, try again (perhaps at another follower).
            return answer.statusCode() == 200;
        });
        for (int node = 0; node < 3; node++) {
            HttpResponse<String> read = send(node, HttpRequest.newBuilder(uri(node, "/v1/kv/tls/forwarded?raw")));
            assertThat(read.statusCode()).isEqualTo(200);
            assertThat(read.body()).startsWith("through n");
        }
    }

    @Test
    void aClientThatDoesNotTrustTheCaIsRefused() {
        HttpClient untrusting = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        assertThatThrownBy(() -> untrusting.send(HttpRequest.newBuilder(uri(0, "/v1/kv/tls/intruder"))
                .PUT(HttpRequest.BodyPublishers.ofString("x")).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(SSLHandshakeException.class);
        assertThat(send(0, HttpRequest.newBuilder(uri(0, "/v1/kv/tls/intruder"))).statusCode()).isEqualTo(404);
    }

    @Test
    void aClientWithoutACertificateFromTheCaIsRefused() {
        HttpClient anonymous = HttpClient.newBuilder().sslContext(ca.sslContext(null))
                .connectTimeout(Duration.ofSeconds(5)).build();
        assertThatThrownBy(() -> anonymous.send(HttpRequest.newBuilder(uri(1, "/v1/kv/tls/anonymous"))
                .PUT(HttpRequest.BodyPublishers.ofString("x")).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(IOException.class);
        assertThat(send(1, HttpRequest.newBuilder(uri(1, "/v1/kv/tls/anonymous"))).statusCode()).isEqualTo(404);
    }

    /** The registry starter's own client, configured only by properties, registers an instance and reads it back. */
    @Test
    void theStarterClientRegistersAndReadsOverTlsWithItsSslBundle() {
        clientContext(ca.jksBundle("client", clientKeyStore), "flotilla.registry.ssl-bundle=client").run(context -> {
            RegistryClient client = context.getBean(RegistryClient.class);
            client.register("tls-orders", new InstanceSpec("tls-1", "127.0.0.1", 9443, true, Map.of(), "", 1,
                    Duration.ofSeconds(60)));
            assertThat(client.instances("tls-orders", QueryOptions.DEFAULT).value())
                    .extracting(InstanceView::instanceId).containsExactly("tls-1");
        });
    }

    @Test
    void theStarterClientWithoutTheBundleIsRefusedAndRegistersNothing() {
        clientContext(Map.of(), "flotilla.registry.failover-timeout=2s").run(context -> {
            RegistryClient client = context.getBean(RegistryClient.class);
            assertThatThrownBy(() -> client.register("tls-strangers", new InstanceSpec("x-1", "127.0.0.1", 9443,
                    true, Map.of(), "", 1, Duration.ofSeconds(60))))
                    .hasStackTraceContaining("SSLHandshakeException");
        });
        assertThat(send(0, HttpRequest.newBuilder(uri(0, "/v1/services/tls-strangers/instances"))).body())
                .doesNotContain("x-1");
    }

    @Test
    void anUndefinedBundleStopsTheStarterNamingTheProperty() {
        clientContext(Map.of(), "flotilla.registry.ssl-bundle=missing").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause()
                    .isInstanceOf(InvalidConfigurationPropertyValueException.class)
                    .hasMessageContaining("flotilla.registry.ssl-bundle")
                    .hasMessageContaining("spring.ssl.bundle.jks.missing");
        });
    }

    private ApplicationContextRunner clientContext(Map<String, String> bundle, String... properties) {
        List<String> values = new ArrayList<>(List.of("flotilla.registry.addresses=" + uri(0, "") + ","
                + uri(1, "") + "," + uri(2, "")));
        bundle.forEach((name, value) -> values.add(name + "=" + value));
        values.addAll(List.of(properties));
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class,
                        RegistryClientAutoConfiguration.class))
                .withPropertyValues(values.toArray(String[]::new));
    }

    /** A node that is not the leader by its own view of the cluster (which may be stale by the time it is used). */
    private int follower() {
        Matcher leader = LEADER.matcher(send(0, HttpRequest.newBuilder(uri(0, "/v1/cluster"))).body());
        String leaderId = leader.find() ? leader.group(1) : "n1";
        return leaderId.equals("n1") ? 1 : 0;
    }

    private URI uri(int node, String path) {
        return URI.create("https://127.0.0.1:" + httpPorts.get(node) + path);
    }

    private HttpResponse<String> send(int node, HttpRequest.Builder request) {
        try {
            return trusting.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError("request to n" + (node + 1) + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static void await(String what, Supplier<Boolean> condition) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!condition.get()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + " not within " + PATIENCE);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
