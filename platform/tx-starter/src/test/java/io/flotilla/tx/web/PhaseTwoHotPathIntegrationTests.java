package io.flotilla.tx.web;

import io.flotilla.raft.client.FlotillaHeaders;
import io.flotilla.raft.client.RequestSignature;
import io.flotilla.tx.it.ledger.LedgerApplication;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The phase-two calls of a real participant (the test ledger on H2, over HTTP) are served by
 * {@link PhaseTwoHotPathFilter}, not Spring MVC, when they come in the coordinator's shape, and by the controllers
 * otherwise, with the same answers either way. A Spring MVC interceptor records every call that reached a
 * controller: the hot path's calls never do.
 */
class PhaseTwoHotPathIntegrationTests {

    private static final String KEY = "phase-two-hot-path-test-key-0123456789abcdef";

    private static ConfigurableApplicationContext participant;
    private static String baseUrl;
    private static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void startParticipant() {
        participant = new SpringApplicationBuilder(LedgerApplication.class, ControllerCalls.class)
            .run("--spring.config.name=ledger", "--server.port=0",
                    "--management.endpoint.health.group.readiness.include=readinessState",
                    "--spring.application.name=phase-two-hot-path",
                    "--spring.datasource.url=jdbc:h2:mem:phase-two-hot-path-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1",
                    "--flotilla.tx.coordinator.addresses=http://127.0.0.1:1",
                    "--flotilla.tx.participant.signing-keys=" + KEY);
        baseUrl = "http://127.0.0.1:" + ((WebServerApplicationContext) participant).getWebServer().getPort();
    }

    @AfterAll
    static void stopParticipant() {
        participant.close();
    }

    @Test
    void everyPhaseTwoCallInTheCoordinatorsShapeIsServedWithoutReachingAController() throws Exception {
        List<String> reached = participant.getBean(ControllerCalls.class).paths;
        reached.clear();
        String xid = "hot-" + UUID.randomUUID();

        HttpResponse<String> cancel = post("/flotilla/tx/tcc/debit/cancel", branch(xid, 1));
        HttpResponse<String> rollback = post("/flotilla/tx/xa/ledger/rollback", branch(xid, 2));
        HttpResponse<String> commit = post("/flotilla/tx/xa/ledger/commit", branch(xid, 3));
        HttpResponse<String> confirm = post("/flotilla/tx/tcc/credit/confirm", branch(xid, 4));
        HttpResponse<String> delivery = post("/flotilla/tx/messages/nobody/receive", delivery(xid));
        HttpResponse<String> batch = post("/flotilla/tx/phase-two/batch", batch(xid, 5));

        assertThat(cancel.statusCode()).isEqualTo(200);
        assertThat(cancel.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(cancel.body()).isEqualTo("{\"xid\":\"" + xid + "\",\"branchId\":1,\"outcome\":\"empty\"}");
        assertThat(rollback.statusCode()).isEqualTo(200);
        assertThat(rollback.body()).contains("\"outcome\":\"empty\"");
        assertThat(commit.statusCode()).isEqualTo(200);
        assertThat(confirm.statusCode()).isEqualTo(200);
        assertThat(confirm.body()).contains("\"outcome\":\"empty\"");
        assertThat(delivery.statusCode()).isEqualTo(404);
        assertThat(batch.statusCode()).isEqualTo(200);
        assertThat(batch.body()).isEqualTo("{\"outcomes\":["
                + "{\"xid\":\"" + xid + "\",\"branchId\":5,\"status\":200,\"outcome\":\"empty\",\"detail\":\"\"},"
                + "{\"xid\":\"" + xid + "\",\"branchId\":6,\"status\":200,\"outcome\":\"empty\",\"detail\":\"\"},"
                + "{\"xid\":\"" + xid + "\",\"branchId\":7,\"status\":404,\"outcome\":\"\",\"detail\":"
                + "\"no @TccAction named 'nowhere' in this application\"},"
                + "{\"xid\":\"" + xid + "\",\"branchId\":8,\"status\":404,\"outcome\":\"\",\"detail\":"
                + "\"no phase-two endpoint here at /flotilla/tx/messages/nobody/receive\"},"
                + "{\"xid\":\"a/b\",\"branchId\":9,\"status\":400,\"outcome\":\"\",\"detail\":"
                + "\"xid is 1 to 128 characters of [A-Za-z0-9._:-]\"}]}");
        assertThat(reached).isEmpty();
    }

    @Test
    void aBatchAnswersEachCallAsItsSingleCallAnswers() throws Exception {
        String xid = "same-" + UUID.randomUUID();
        String[] paths = {"/flotilla/tx/tcc/debit/cancel", "/flotilla/tx/tcc/nowhere/confirm",
                "/flotilla/tx/xa/ledger/rollback", "/flotilla/tx/tcc/debit/confirm"};
        for (int i = 0; i < paths.length; i++) {
            String alone = xid + "-alone";
            String batched = xid + "-batched";
            HttpResponse<String> single = post(paths[i], branch(alone, i + 1));
            HttpResponse<String> inBatch = post("/flotilla/tx/phase-two/batch",
                    "{\"calls\":[{\"path\":\"" + paths[i] + "\",\"xid\":\"" + batched + "\",\"branchId\":" + (i + 1) + "}]}");
            assertThat(inBatch.statusCode()).isEqualTo(200);
            String outcome = inBatch.body();
            assertThat(outcome).as(paths[i]).contains("\"status\":" + single.statusCode());
            if (single.statusCode() == 200) {
                String singleOutcome = single.body().replaceAll(".*\"outcome\":\"([a-z]+)\".*", "$1");
                assertThat(outcome).contains("\"outcome\":\"" + singleOutcome + "\"");
            } else {
                String detail = single.body().replaceAll(".*\"detail\":\"([^\"]*)\".*", "$1");
                assertThat(outcome).contains("\"detail\":\"" + detail + "\"");
            }
        }
    }

    @Test
    void otherShapesReachTheControllersAndEveryAnswerIsTheControllers() throws Exception {
        List<String> reached = participant.getBean(ControllerCalls.class).paths;
        // Each call once in each shape, with its own xid (a branch's second call would be a duplicate).
        String[][] calls = {
                {"/flotilla/tx/tcc/debit/cancel", branch("%s", 1)},
                {"/flotilla/tx/tcc/nowhere/confirm", branch("%s", 2)},
                {"/flotilla/tx/tcc/debit/confirm", "{"},
                {"/flotilla/tx/tcc/debit/confirm", ""},
                {"/flotilla/tx/tcc/debit/confirm", "null"},
                {"/flotilla/tx/tcc/debit/confirm", "{\"xid\":\"a/b\",\"branchId\":3}"},
                {"/flotilla/tx/xa/ledger/commit", "{\"xid\":{},\"branchId\":3}"},
                {"/flotilla/tx/xa/ledger/rollback", branch("%s", 4)},
                {"/flotilla/tx/messages/nobody/receive", delivery("%s")},
                {"/flotilla/tx/messages/nobody/receive", "{\"messageId\":\"m\"}"},
                {"/flotilla/tx/phase-two/batch", batch("%s", 11)},
                {"/flotilla/tx/phase-two/batch", "{}"},
                {"/flotilla/tx/phase-two/batch", "{\"calls\":[]}"},
                {"/flotilla/tx/phase-two/batch", "{\"calls\":[null]}"},
                {"/flotilla/tx/phase-two/batch", "{"},
                {"/flotilla/tx/phase-two/batch", ""},
                {"/flotilla/tx/phase-two/batch", "null"},
        };
        for (String[] call : calls) {
            String hotXid = "hot-" + UUID.randomUUID();
            String controllerXid = "mvc-" + UUID.randomUUID();
            reached.clear();
            HttpResponse<String> hot = post(call[0], call[1].replace("%s", hotXid));
            assertThat(reached).as("served without Spring MVC: %s %s", call[0], call[1]).isEmpty();
            // A query string is not the coordinator's shape: Spring MVC and the controller answer this one.
            HttpResponse<String> controller = post(call[0] + "?via=controller", call[1].replace("%s", controllerXid));
            assertThat(reached).as("served by the controller: %s %s", call[0], call[1]).hasSize(1);

            assertThat(hot.statusCode()).as(call[0] + " " + call[1]).isEqualTo(controller.statusCode());
            assertThat(hot.headers().firstValue("Content-Type")).as(call[0] + " " + call[1])
                .isEqualTo(controller.headers().firstValue("Content-Type"));
            assertThat(hot.body()).as(call[0] + " " + call[1])
                .isEqualTo(controller.body().replace(controllerXid, hotXid));
        }
    }

    @Test
    void unsignedCallsInTheHotPathsShapeAreStillRefusedBeforeIt() throws Exception {
        List<String> reached = participant.getBean(ControllerCalls.class).paths;
        reached.clear();
        byte[] body = branch("unsigned-" + UUID.randomUUID(), 1).getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> unsigned = http.send(HttpRequest.newBuilder(
                        URI.create(baseUrl + "/flotilla/tx/tcc/debit/cancel"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(unsigned.statusCode()).isEqualTo(401);
        assertThat(unsigned.body()).contains("unsigned");
        assertThat(reached).isEmpty();
    }

    private static String branch(String xid, long branchId) {
        return "{\"xid\":\"" + xid + "\",\"branchId\":" + branchId + "}";
    }

    /** A batch of five calls from {@code firstBranch} on: two known endpoints, an unknown action, another area, a bad xid. */
    private static String batch(String xid, long firstBranch) {
        return "{\"calls\":["
                + "{\"path\":\"/flotilla/tx/tcc/credit/cancel\",\"xid\":\"" + xid + "\",\"branchId\":" + firstBranch + "},"
                + "{\"path\":\"/flotilla/tx/xa/ledger/rollback\",\"xid\":\"" + xid + "\",\"branchId\":" + (firstBranch + 1) + "},"
                + "{\"path\":\"/flotilla/tx/tcc/nowhere/confirm\",\"xid\":\"" + xid + "\",\"branchId\":" + (firstBranch + 2) + "},"
                + "{\"path\":\"/flotilla/tx/messages/nobody/receive\",\"xid\":\"" + xid + "\",\"branchId\":" + (firstBranch + 3) + "},"
                + "{\"path\":\"/flotilla/tx/tcc/debit/confirm\",\"xid\":\"a/b\",\"branchId\":" + (firstBranch + 4) + "}]}";
    }

    private static String delivery(String xid) {
        return "{\"messageId\":\"" + xid + ":9\",\"xid\":\"" + xid + "\",\"branchId\":9,\"name\":\"n\","
                + "\"payload\":\"{}\"}";
    }

    /** Signed as the coordinator signs: the path without the query string, a fresh nonce. */
    private static HttpResponse<String> post(String pathAndQuery, String body) throws Exception {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        String path = pathAndQuery.contains("?") ? pathAndQuery.substring(0, pathAndQuery.indexOf('?')) : pathAndQuery;
        long now = System.currentTimeMillis();
        String nonce = RequestSignature.newNonce();
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + pathAndQuery))
            .header("Content-Type", "application/json")
            .header(FlotillaHeaders.SIGNATURE_TIMESTAMP, Long.toString(now))
            .header(FlotillaHeaders.SIGNATURE_NONCE, nonce)
            .header(FlotillaHeaders.SIGNATURE, RequestSignature.sign(KEY, "POST", path, now, nonce, bytes))
            .POST(HttpRequest.BodyPublishers.ofByteArray(bytes))
            .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** Records the path of every request Spring MVC handed to a controller. */
    @Configuration(proxyBeanMethods = false)
    static class ControllerCalls implements WebMvcConfigurer {

        final List<String> paths = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void addInterceptors(InterceptorRegistry registry) {
            registry.addInterceptor(new HandlerInterceptor() {
                @Override
                public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
                    paths.add(request.getRequestURI());
                    return true;
                }
            });
        }
    }
}
