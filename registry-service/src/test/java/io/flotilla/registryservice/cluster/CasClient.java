package io.flotilla.registryservice.cluster;

import io.flotilla.registryservice.RegistryHttp;
import io.flotilla.testsupport.linearizability.HistoryRecorder;
import io.flotilla.testsupport.linearizability.KvInput;
import io.flotilla.testsupport.linearizability.KvModel;
import tools.jackson.databind.JsonNode;

import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One Jepsen client: puts, linearizable reads and value CAS on {@value #KEYS} keys at random live nodes, each
 * operation recorded in the history (503s and timeouts as unknown outcomes).
 *
 * <p>The HTTP CAS compares versions ({@code ?cas=modIndex}); a value CAS is a linearizable read of value and
 * modIndex followed by {@code PUT ?cas=modIndex}: when that PUT succeeds the value was still the one read, so the
 * operation took effect atomically at the PUT. A read that shows another value answers {@code false} at the read.
 */
final class CasClient {

    static final int KEYS = 10;

    private final RegistryCluster cluster;
    private final int id;
    private final SplittableRandom random;
    private final HistoryRecorder history;
    private final Map<Integer, Boolean> alive;
    private final AtomicBoolean running;
    private final Map<String, String> lastSeen = new HashMap<>();
    private int sequence;

    CasClient(RegistryCluster cluster, int id, SplittableRandom random, HistoryRecorder history,
              Map<Integer, Boolean> alive, AtomicBoolean running) {
        this.cluster = cluster;
        this.id = id;
        this.random = random;
        this.history = history;
        this.alive = alive;
        this.running = running;
    }

    int run() {
        int operations = 0;
        while (running.get()) {
            RegistryHttp node = pickNode();
            String key = "k" + random.nextInt(KEYS);
            int dice = random.nextInt(10);
            boolean ok;
            if (dice < 4) {
                ok = get(node, key);
            } else if (dice < 7) {
                ok = put(node, key, "c" + id + "-" + (++sequence));
            } else {
                ok = cas(node, key, lastSeen.get(key), "c" + id + "-" + (++sequence));
            }
            operations++;
            if (!ok) {
                // Back off like a client honouring Retry-After, so an election does not flood the history with unknowns.
                RegistryCluster.sleep(300);
            }
        }
        return operations;
    }

    private RegistryHttp pickNode() {
        List<Integer> up = alive.entrySet().stream().filter(Map.Entry::getValue).map(Map.Entry::getKey).toList();
        int node = up.isEmpty() ? random.nextInt(3) : up.get(random.nextInt(up.size()));
        return cluster.client(node, Duration.ofSeconds(5));
    }

    private boolean get(RegistryHttp node, String key) {
        HistoryRecorder.Handle op = history.invoke(id, new KvInput.Get(key));
        Read read = read(node, key);
        if (read == null) {
            history.timeout(op);
            return false;
        }
        history.ok(op, read.value());
        lastSeen.put(key, read.value());
        return true;
    }

    private boolean put(RegistryHttp node, String key, String value) {
        HistoryRecorder.Handle op = history.invoke(id, new KvInput.Put(key, value));
        int status = status(() -> node.put("/v1/kv/jepsen/" + key, value));
        if (status == 200) {
            history.ok(op, KvModel.Ack.OK);
            return true;
        }
        history.timeout(op);
        return false;
    }

    private boolean cas(RegistryHttp node, String key, String expected, String value) {
        HistoryRecorder.Handle op = history.invoke(id, new KvInput.Cas(key, expected, value));
        for (int attempt = 0; attempt < 3; attempt++) {
            Read read = read(node, key);
            if (read == null) {
                break;
            }
            if (!Objects.equals(read.value(), expected)) {
                history.ok(op, Boolean.FALSE);
                lastSeen.put(key, read.value());
                return true;
            }
            int status = status(() -> node.put("/v1/kv/jepsen/" + key + "?cas=" + read.modIndex(), value));
            if (status == 200) {
                history.ok(op, Boolean.TRUE);
                lastSeen.put(key, value);
                return true;
            }
            if (status != 409) {
                break;
            }
        }
        history.timeout(op);
        return false;
    }

    /** A linearizable read of value and modIndex (0 when absent), or null when the node could not answer. */
    private Read read(RegistryHttp node, String key) {
        try {
            RegistryHttp.Answer answer = node.get("/v1/kv/jepsen/" + key);
            if (answer.status() == 404) {
                return new Read(null, 0);
            }
            if (answer.status() != 200) {
                assertThat(answer.status()).as(answer.body()).isEqualTo(503);
                return null;
            }
            JsonNode entry = answer.json();
            return new Read(new String(Base64.getDecoder().decode(entry.get("value").asString()),
                    StandardCharsets.UTF_8), entry.get("modIndex").asLong());
        } catch (UncheckedIOException e) {
            return null;
        }
    }

    private static int status(Supplier<RegistryHttp.Answer> call) {
        try {
            RegistryHttp.Answer answer = call.get();
            if (answer.status() != 200 && answer.status() != 409) {
                assertThat(answer.status()).as(answer.body()).isEqualTo(503);
            }
            return answer.status();
        } catch (UncheckedIOException e) {
            return -1;
        }
    }

    private record Read(String value, long modIndex) {
    }
}
