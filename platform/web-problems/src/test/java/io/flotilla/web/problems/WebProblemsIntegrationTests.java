package io.flotilla.web.problems;

import jakarta.servlet.Filter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real Tomcat (random port) with this module, sent raw requests over a socket, so that nothing on the client
 * side cleans them up: whatever refuses them, Tomcat or Spring, the answer is a problem detail.
 */
class WebProblemsIntegrationTests {

    private static ConfigurableApplicationContext context;
    private static int port;

    @BeforeAll
    static void start() {
        context = new SpringApplicationBuilder(EchoApplication.class)
            .run("--server.port=0", "--flotilla.web.max-request-body=64KB", "--server.error.include-stacktrace=never");
        port = ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    @AfterAll
    static void stop() {
        context.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/echo%00", "/a%2Fb", "/a%5Cb", "/%", "/a/../../b", "/;jsessionid=x/../echo"})
    void pathsTomcatRefusesAreProblemDetails(String path) throws IOException {
        Answer answer = send("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nAccept: text/html\r\nConnection: close\r\n\r\n");

        assertThat(answer.status()).as(answer.text()).isBetween(400, 499);
        answer.assertProblem();
    }

    @Test
    void anOverLongSegmentAndHeaderAreProblemDetails() throws IOException {
        Answer segment = send("GET /" + "a".repeat(5_000) + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        assertThat(segment.status()).as(segment.text()).isEqualTo(404);
        segment.assertProblem();

        Answer header = send("GET /echo HTTP/1.1\r\nHost: localhost\r\nX-Big: " + "b".repeat(20_000)
                + "\r\nConnection: close\r\n\r\n");
        assertThat(header.status()).as(header.text()).isIn(400, 431);
        header.assertProblem();
    }

    @Test
    void bodiesOverTheLimitAre413WithTheLimitInTheDetailAndAreNotHandled() throws IOException {
        int handledBefore = EchoController.HANDLED.get();
        String big = "{\"text\":\"" + "x".repeat(70_000) + "\"}";
        Answer declared = send("POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + big.length() + "\r\nConnection: close\r\n\r\n" + big);
        assertThat(declared.status()).as(declared.text()).isEqualTo(413);
        assertThat(declared.body()).contains("65536 bytes (64 KiB)");
        declared.assertProblem();

        String chunked = Integer.toHexString(big.length()) + "\r\n" + big + "\r\n0\r\n\r\n";
        Answer streamed = send("POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n" + chunked);
        assertThat(streamed.status()).as(streamed.text()).isEqualTo(413);
        streamed.assertProblem();
        assertThat(EchoController.HANDLED.get()).isEqualTo(handledBefore);

        String small = "{\"text\":\"fine\"}";
        Answer accepted = send("POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + small.length() + "\r\nConnection: close\r\n\r\n" + small);
        assertThat(accepted.status()).isEqualTo(200);
        assertThat(EchoController.HANDLED.get()).isEqualTo(handledBefore + 1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"a=%ZZ", "a=%C0%AF", "a=%00", "%00=b"})
    void parametersThatCannotBeReadAre400BeforeAnyHandler(String query) throws IOException {
        int handledBefore = EchoController.HANDLED.get();
        String small = "{\"text\":\"fine\"}";
        Answer answer = send("POST /echo?" + query + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + small.length() + "\r\nConnection: close\r\n\r\n" + small);

        assertThat(answer.status()).as(answer.text()).isEqualTo(400);
        answer.assertProblem();
        assertThat(EchoController.HANDLED.get()).isEqualTo(handledBefore);
    }

    @Test
    void anExceptionOutsideSpringMvcIsAProblemDetailWithoutItsMessage() throws IOException {
        Answer answer = send("GET /explode HTTP/1.1\r\nHost: localhost\r\nAccept: text/html\r\nConnection: close\r\n\r\n");

        assertThat(answer.status()).isEqualTo(500);
        answer.assertProblem();
        assertThat(answer.body()).doesNotContain("secret internals");
    }

    private static Answer send(String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            try {
                out.write(request.getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
            } catch (IOException closedEarly) {
                // Tomcat may answer and close before the whole (oversized) request is written.
            }
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            try {
                in.transferTo(received);
            } catch (IOException reset) {
                // A reset after the answer arrived: what was read is the answer.
            }
            return new Answer(received.toString(StandardCharsets.UTF_8));
        }
    }

    record Answer(String text) {

        int status() {
            return Integer.parseInt(text.substring(9, 12));
        }

        String body() {
            int at = text.indexOf("\r\n\r\n");
            return at < 0 ? "" : text.substring(at + 4);
        }

        void assertProblem() {
            assertThat(text).as(text).containsIgnoringCase("Content-Type: application/problem+json");
            assertThat(body()).contains("\"status\":" + status())
                .doesNotContain("<html", "Apache Tomcat", "Exception", "org.apache", "java.", "io.flotilla")
                .doesNotContainPattern("\\bat [\\w.$]+\\(");
        }
    }

    @SpringBootApplication
    static class EchoApplication {

        @Bean
        EchoController echoController() {
            return new EchoController();
        }

        @Bean
        FilterRegistrationBean<Filter> explodingFilter() {
            FilterRegistrationBean<Filter> registration = new FilterRegistrationBean<>((request, response, chain) -> {
                throw new IllegalStateException("secret internals of io.flotilla.Something");
            });
            registration.addUrlPatterns("/explode");
            return registration;
        }
    }

    @RestController
    static class EchoController {

        static final AtomicInteger HANDLED = new AtomicInteger();

        record Text(String text) {
        }

        @PostMapping("/echo")
        Text echo(@RequestBody Text text) {
            HANDLED.incrementAndGet();
            return text;
        }
    }
}
