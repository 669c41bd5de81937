package io.flotilla.raft.client;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The wire behaviour of the starters' HTTP client against a raw socket server that counts connections and answers
 * exactly the bytes a test gives it: keep-alive reuse, {@code Connection: close}, the three ways a body ends, and
 * which failures count as "nothing sent".
 */
class KeepAliveHttpClientTests {

    private final KeepAliveHttpClient client = new KeepAliveHttpClient(null, Duration.ofSeconds(2));

    private RawServer server;

    @AfterEach
    void stop() throws IOException {
        client.close();
        if (server != null) {
            server.close();
        }
    }

    @Test
    void requestsInTurnShareOneKeepAliveConnection() throws IOException {
        server = new RawServer(request -> answer("200", "Content-Length: 2\r\n", "ok"));

        for (int i = 0; i < 20; i++) {
            HttpAnswer answer = client.exchange(server.uri(), "PUT", "/v1/kv/k" + i, Map.of(), bytes("v"),
                    Duration.ofSeconds(5));
            assertThat(answer.status()).isEqualTo(200);
            assertThat(new String(answer.body(), StandardCharsets.UTF_8)).isEqualTo("ok");
        }

        assertThat(server.connections.get()).isEqualTo(1);
        assertThat(server.requests).hasSize(20);
    }

    @Test
    void aConnectionTheServerMarksCloseIsNotReused() throws IOException {
        server = new RawServer(request -> answer("200", "Content-Length: 0\r\nConnection: close\r\n", ""));

        client.exchange(server.uri(), "GET", "/a", Map.of(), null, Duration.ofSeconds(5));
        client.exchange(server.uri(), "GET", "/b", Map.of(), null, Duration.ofSeconds(5));

        assertThat(server.connections.get()).isEqualTo(2);
    }

    @Test
    void aChunkedAnswerIsReadWholeAndTheConnectionStaysUsable() throws IOException {
        server = new RawServer(request -> answer("200", "Transfer-Encoding: chunked\r\n",
                "5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nTrailer: x\r\n\r\n"));

        HttpAnswer first = client.exchange(server.uri(), "GET", "/", Map.of(), null, Duration.ofSeconds(5));
        HttpAnswer second = client.exchange(server.uri(), "GET", "/", Map.of(), null, Duration.ofSeconds(5));

        assertThat(new String(first.body(), StandardCharsets.UTF_8)).isEqualTo("hello world");
        assertThat(new String(second.body(), StandardCharsets.UTF_8)).isEqualTo("hello world");
        assertThat(server.connections.get()).isEqualTo(1);
    }

    @Test
    void anAnswerWithoutLengthIsReadToTheEndOfTheConnection() throws IOException {
        server = new RawServer(request -> answer("200", "Connection: close\r\n", "until the end"));

        HttpAnswer answer = client.exchange(server.uri(), "GET", "/", Map.of(), null, Duration.ofSeconds(5));

        assertThat(new String(answer.body(), StandardCharsets.UTF_8)).isEqualTo("until the end");
        assertThat(answer.keepAlive()).isFalse();
    }

    @Test
    void anInterimAnswerIsSkippedAndHeadersAreReadIgnoringCase() throws IOException {
        server = new RawServer(request -> "HTTP/1.1 100 Continue\r\n\r\n"
                + answer("201", "x-flotilla-index: 42\r\ncontent-length: 2\r\n", "{}"));

        HttpAnswer answer = client.exchange(server.uri(), "POST", "/", Map.of(), bytes("{}"), Duration.ofSeconds(5));

        assertThat(answer.status()).isEqualTo(201);
        assertThat(answer.headers().firstValue(FlotillaHeaders.INDEX)).contains("42");
    }

    @Test
    void theRequestCarriesHostLengthItsHeadersAndItsBody() throws IOException {
        server = new RawServer(request -> answer("204", "", ""));

        client.exchange(server.uri(), "PUT", "/v1/kv/a%20b?cas=0", Map.of("Authorization", "Bearer s3cret"),
                bytes("value"), Duration.ofSeconds(5));
        client.exchange(server.uri(), "POST", "/v1/leases/1/keepalive", Map.of(), null, Duration.ofSeconds(5));

        String put = server.requests.get(0);
        assertThat(put).startsWith("PUT /v1/kv/a%20b?cas=0 HTTP/1.1\r\n")
            .contains("Host: 127.0.0.1:" + server.port() + "\r\n", "Authorization: Bearer s3cret\r\n",
                    "Content-Length: 5\r\n")
            .endsWith("\r\n\r\nvalue");
        assertThat(server.requests.get(1)).contains("Content-Length: 0\r\n");
    }

    @Test
    void aRefusedConnectionSentNothing() throws IOException {
        int closed;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }

        assertThatThrownBy(() -> client.exchange(URI.create("http://127.0.0.1:" + closed), "PUT", "/", Map.of(),
                bytes("v"), Duration.ofSeconds(5)))
            .isInstanceOf(ConnectException.class);
    }

    @Test
    void anIdleConnectionTheServerClosedIsNotReused() throws Exception {
        server = new RawServer(request -> answer("200", "Content-Length: 2\r\n", "ok"));
        client.exchange(server.uri(), "PUT", "/v1/kv/a", Map.of(), bytes("v"), Duration.ofSeconds(5));

        // As a restarted server does: the kept-alive connection is closed while idle, the listener stays.
        server.closeConnections();
        Thread.sleep(50);
        HttpAnswer answer = client.exchange(server.uri(), "PUT", "/v1/kv/b", Map.of(), bytes("v"),
                Duration.ofSeconds(5));

        assertThat(answer.status()).as("a write that must not run twice is not lost on the closed connection")
            .isEqualTo(200);
        assertThat(server.connections.get()).isEqualTo(2);
        assertThat(server.requests).hasSize(2);
    }

    @Test
    void aServerThatClosesWithoutAnsweringMayHaveAppliedTheRequest() throws IOException {
        server = new RawServer(request -> null);

        assertThatThrownBy(() -> client.exchange(server.uri(), "PUT", "/", Map.of(), bytes("v"),
                Duration.ofSeconds(5)))
            .isInstanceOf(IOException.class)
            .isNotInstanceOf(ConnectException.class);
        assertThat(server.requests).hasSize(1);
    }

    @Test
    void anAnswerCutOffHalfWayIsNotAnAnswer() throws IOException {
        server = new RawServer(request -> "HTTP/1.1 200 \r\nContent-Length: 100\r\nConnection: close\r\n\r\n{\"par");

        assertThatThrownBy(() -> client.exchange(server.uri(), "PUT", "/", Map.of(), bytes("v"),
                Duration.ofSeconds(5)))
            .isInstanceOf(IOException.class)
            .isNotInstanceOf(ConnectException.class);
    }

    @Test
    void noAnswerWithinTheTimeoutIsATimeoutNotARefusal() throws IOException {
        server = new RawServer(request -> "");

        assertThatThrownBy(() -> client.exchange(server.uri(), "PUT", "/", Map.of(), bytes("v"),
                Duration.ofMillis(200)))
            .isInstanceOf(SocketTimeoutException.class);
    }

    @Test
    void anInterruptEndsAWaitOnAPlatformThread() throws Exception {
        server = new RawServer(request -> "");
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicBoolean interruptedAfter = new AtomicBoolean();
        Thread caller = Thread.ofPlatform().start(() -> {
            try {
                client.exchange(server.uri(), "GET", "/v1/kv/k?wait=60s", Map.of(), null, Duration.ofSeconds(60));
            }
            catch (Throwable ex) {
                failure.set(ex);
            }
            interruptedAfter.set(Thread.currentThread().isInterrupted());
        });
        while (server.requests.isEmpty()) {
            Thread.sleep(10);
        }

        caller.interrupt();
        caller.join(10_000);

        assertThat(caller.isAlive()).as("the call still waits after the interrupt").isFalse();
        assertThat(failure.get()).isInstanceOf(IOException.class).isNotInstanceOf(ConnectException.class);
        assertThat(interruptedAfter).isTrue();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String answer(String status, String headers, String body) {
        return "HTTP/1.1 " + status + " \r\n" + headers + "\r\n" + body;
    }

    /**
     * Accepts connections on loopback and answers each request with what {@code answers} returns: null closes the
     * connection without answering, an empty string answers nothing and keeps it open. Requests are read by their
     * {@code Content-Length}; an answer with {@code Connection: close} closes the connection after it.
     */
    private static final class RawServer implements AutoCloseable {

        final AtomicInteger connections = new AtomicInteger();

        final List<String> requests = new CopyOnWriteArrayList<>();

        private final ServerSocket socket;

        private final Function<String, String> answers;

        private final List<Socket> accepted = new CopyOnWriteArrayList<>();

        RawServer(Function<String, String> answers) throws IOException {
            this.answers = answers;
            this.socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread.ofPlatform().daemon().start(this::accept);
        }

        URI uri() {
            return URI.create("http://127.0.0.1:" + port());
        }

        int port() {
            return socket.getLocalPort();
        }

        private void accept() {
            while (!socket.isClosed()) {
                try {
                    Socket connection = socket.accept();
                    connections.incrementAndGet();
                    accepted.add(connection);
                    Thread.ofPlatform().daemon().start(() -> serve(connection));
                }
                catch (IOException closed) {
                    return;
                }
            }
        }

        private void serve(Socket connection) {
            try (connection; InputStream in = connection.getInputStream();
                    OutputStream out = connection.getOutputStream()) {
                while (true) {
                    String request = readRequest(in);
                    if (request == null) {
                        return;
                    }
                    requests.add(request);
                    String answer = answers.apply(request);
                    if (answer == null) {
                        return;
                    }
                    out.write(answer.getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                    if (answer.contains("Connection: close")) {
                        return;
                    }
                }
            }
            catch (IOException ignored) {
                // the client went away
            }
        }

        private static String readRequest(InputStream in) throws IOException {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            int b;
            while ((b = in.read()) >= 0) {
                head.write(b);
                String text = head.toString(StandardCharsets.ISO_8859_1);
                if (text.endsWith("\r\n\r\n")) {
                    int length = 0;
                    for (String line : text.split("\r\n")) {
                        if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                            length = Integer.parseInt(line.substring(15).trim());
                        }
                    }
                    return text + new String(in.readNBytes(length), StandardCharsets.ISO_8859_1);
                }
            }
            return null;
        }

        void closeConnections() throws IOException {
            for (Socket connection : accepted) {
                connection.close();
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
            for (Socket connection : accepted) {
                connection.close();
            }
        }
    }
}
