package io.flotilla.idservice.segments;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.flotilla.idservice.IdServiceApplication;
import io.flotilla.testsupport.PortProbe;
import io.flotilla.testsupport.process.JavaProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two id-service processes sharing the default embedded segment table (one H2 file, the second replica opening it
 * through the first): no id is issued twice, and after one is killed with {@code kill -9} and started again, its
 * ids are above every id issued before.
 */
class SegmentReplicasIntegrationTests {

    private static final Pattern NUMBER = Pattern.compile("\"([0-9]+)\"");

    @TempDir
    Path directory;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final List<JavaProcess> processes = new ArrayList<>();

    @AfterEach
    void stopProcesses() {
        processes.forEach(JavaProcess::kill);
    }

    private Replica replica(String name, int worker) {
        int port = PortProbe.freePort();
        JavaProcess process = JavaProcess.builder(name, IdServiceApplication.class)
            .args("--server.port=" + port,
                    "--spring.datasource.url=jdbc:h2:file:" + directory.resolve("segments")
                            + ";AUTO_SERVER=TRUE;AUTO_RECONNECT=TRUE;WRITE_DELAY=0",
                    "--flotilla.id.state-dir=" + directory.resolve(name), "--flotilla.id.worker-id=" + worker,
                    // small segments: the replicas take hundreds of them from the shared row during the test
                    "--flotilla.id.segment.max-step=40")
            .healthUrl("http://127.0.0.1:" + port + "/actuator/health")
            .startTimeout(Duration.ofMinutes(3))
            .build();
        processes.add(process);
        process.start();
        return new Replica(process, "http://127.0.0.1:" + port);
    }

    @Test
    void replicasSharingTheTableNeverIssueTheSameIdAndARestartedOneContinuesAbove() throws Exception {
        Replica a = replica("id-service-a", 1);
        Replica b = replica("id-service-b", 2);
        HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create(a.url + "/v1/segments"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"tag\":\"order\",\"step\":20}"))
            .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).isEqualTo(201);

        List<long[]> before = load(List.of(a, a, b, b), 150);
        long highest = before.stream().flatMapToLong(Arrays::stream).max().orElseThrow();

        a.process.kill();
        a.process.start();
        long[] afterRestart = ids(a, "/v1/segments/order/next");
        assertThat(afterRestart[0]).as("first id of the restarted replica").isGreaterThan(highest);

        List<long[]> after = load(List.of(a, b), 60);
        List<long[]> everything = new ArrayList<>(before);
        everything.add(afterRestart);
        everything.addAll(after);
        long[] all = everything.stream().flatMapToLong(Arrays::stream).toArray();
        assertThat(Arrays.stream(all).distinct().count()).as("ids issued twice").isEqualTo(all.length);
        assertThat(after.get(0)[0]).isGreaterThan(highest);
    }

    /** Each client alternates single ids and batches of 5 against its replica; its ids must increase. */
    private List<long[]> load(List<Replica> clients, int requestsPerClient) throws Exception {
        List<Future<long[]>> futures = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Replica replica : clients) {
                futures.add(threads.submit(() -> {
                    List<Long> ids = new ArrayList<>();
                    for (int i = 0; i < requestsPerClient; i++) {
                        String path = (i % 2 == 0) ? "/v1/segments/order/next" : "/v1/segments/order?count=5";
                        for (long id : ids(replica, path)) {
                            ids.add(id);
                        }
                    }
                    return ids.stream().mapToLong(Long::longValue).toArray();
                }));
            }
        }
        List<long[]> results = new ArrayList<>();
        for (Future<long[]> future : futures) {
            long[] ids = future.get();
            assertThat(ids).as("one client's ids from one replica").isSorted().doesNotHaveDuplicates();
            results.add(ids);
        }
        return results;
    }

    private long[] ids(Replica replica, String path) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(replica.url + path))
            .timeout(Duration.ofSeconds(30))
            .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path + " answered " + response.body()).isEqualTo(200);
        Matcher matcher = NUMBER.matcher(response.body());
        List<Long> ids = new ArrayList<>();
        while (matcher.find()) {
            ids.add(Long.parseLong(matcher.group(1)));
        }
        return ids.stream().mapToLong(Long::longValue).toArray();
    }

    private record Replica(JavaProcess process, String url) {
    }
}
