package io.flotilla.order.inventory;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.http.client.ClientHttpRequestFactoryBuilder;
import org.springframework.boot.http.client.autoconfigure.imperative.ImperativeHttpClientAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.http.client.ClientHttpRequestFactory;
import org.springframework.http.client.HttpComponentsClientHttpRequestFactory;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * order-service's outbound calls run on Apache HttpClient, and more of them reach one host at once than the library's
 * default pool (5 per host) lets through: against a real HTTP server that answers only once all have arrived.
 */
class PooledHttpConnectionsTests {

    private static final int CONCURRENT_CALLS = 12;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(ImperativeHttpClientAutoConfiguration.class))
        .withUserConfiguration(PooledHttpConnections.class);

    private final CountDownLatch arrived = new CountDownLatch(CONCURRENT_CALLS);
    private final CountDownLatch release = new CountDownLatch(1);
    private HttpServer server;

    @BeforeEach
    void startServer() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", exchange -> {
            arrived.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stopServer() {
        release.countDown();
        server.stop(0);
    }

    @Test
    void callsToOneHostAreNotQueuedBehindTheDefaultPoolOfFive() {
        runner.run(context -> {
            ClientHttpRequestFactory factory = context.getBean(ClientHttpRequestFactoryBuilder.class).build();
            assertThat(factory).isInstanceOf(HttpComponentsClientHttpRequestFactory.class);
            RestClient client = RestClient.builder().requestFactory(factory)
                .baseUrl("http://127.0.0.1:" + server.getAddress().getPort()).build();
            try (ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<?>> calls = new ArrayList<>();
                for (int i = 0; i < CONCURRENT_CALLS; i++) {
                    calls.add(callers.submit(() -> client.get().uri("/slow").retrieve().toBodilessEntity()));
                }
                arrived.await(10, TimeUnit.SECONDS);
                long queued = arrived.getCount();
                release.countDown();
                for (Future<?> call : calls) {
                    call.get(30, TimeUnit.SECONDS);
                }
                assertThat(queued).as("calls of %d still queued for a connection", CONCURRENT_CALLS).isZero();
            }
        });
    }
}
