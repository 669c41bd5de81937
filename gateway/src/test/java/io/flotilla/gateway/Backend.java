package io.flotilla.gateway;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A tiny real HTTP backend on 127.0.0.1 (JDK HttpServer, virtual thread per request) that answers with
 * its name and counts requests by method; it can be told to fail with 503, to answer slowly, or be
 * stopped (connection refused) and started again on the same port.
 */
final class Backend {

    enum Mode { OK, FAIL_503, SLOW }

    private final String name;
    private final int port;
    private final AtomicInteger gets = new AtomicInteger();
    private final AtomicInteger posts = new AtomicInteger();
    private volatile Mode mode = Mode.OK;
    private HttpServer server;
    private ExecutorService executor;

    private Backend(String name, int port) {
        this.name = name;
        this.port = port;
    }

    static Backend start(String name) {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = probe.getLocalPort();
            probe.close();
            Backend backend = new Backend(name, port);
            backend.start();
            return backend;
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    synchronized void start() {
        if (server != null) {
            return;
        }
        server = bind();
        executor = Executors.newVirtualThreadPerTaskExecutor();
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    // a just-closed listener can take a moment to release its port, so binding again is retried briefly
    private HttpServer bind() {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (true) {
            try {
                return HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
            }
            catch (IOException ex) {
                if (System.nanoTime() > deadline) {
                    throw new UncheckedIOException("cannot bind backend " + name + " to 127.0.0.1:" + port, ex);
                }
                try {
                    Thread.sleep(20);
                }
                catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new UncheckedIOException(ex);
                }
            }
        }
    }

    synchronized void stop() {
        if (server != null) {
            server.stop(0);
            executor.shutdownNow();
            server = null;
        }
    }

    void reset() {
        mode = Mode.OK;
        gets.set(0);
        posts.set(0);
        start();
    }

    void mode(Mode mode) {
        this.mode = mode;
    }

    String uri() {
        return "http://127.0.0.1:" + port;
    }

    String name() {
        return name;
    }

    int gets() {
        return gets.get();
    }

    int posts() {
        return posts.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            exchange.getRequestBody().readAllBytes();
            String method = exchange.getRequestMethod();
            if ("POST".equals(method)) {
                posts.incrementAndGet();
            }
            else if ("GET".equals(method)) {
                gets.incrementAndGet();
            }
            Mode current = mode;
            if (current == Mode.SLOW) {
                try {
                    Thread.sleep(2_500);
                }
                catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            int status = current == Mode.FAIL_503 ? 503 : 200;
            byte[] body = ("{\"backend\":\"" + name + "\",\"method\":\"" + method + "\",\"path\":\""
                    + exchange.getRequestURI().getPath() + "\"}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
        }
    }
}
