package io.flotilla.bench.raft;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * etcd through its own Java client (jetcd, gRPC); a put completes when etcd has committed it. jetcd spreads
 * requests over the endpoints; a member that is not the leader forwards the proposal to it.
 */
public final class EtcdTarget implements KvTarget {

    private final Client client;
    private final KV kv;

    private EtcdTarget(Client client) {
        this.client = client;
        this.kv = client.getKVClient();
    }

    /**
     * Connects and makes one put, so the first measured put does not pay for the connection (the first
     * jetcd call takes seconds) and a cluster that is not running fails here, not as errors in the table.
     */
    public static EtcdTarget connect(Duration timeout, String... endpoints) throws InterruptedException {
        EtcdTarget target = new EtcdTarget(Client.builder().endpoints(endpoints).build());
        try {
            target.put("bench/connect", new byte[1]).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return target;
        } catch (ExecutionException | TimeoutException e) {
            target.close();
            throw new IllegalStateException("etcd at " + String.join(",", endpoints) + " did not take a put within "
                    + timeout, e);
        }
    }

    @Override
    public String name() {
        return "etcd";
    }

    @Override
    public CompletableFuture<?> put(String key, byte[] value) {
        return kv.put(ByteSequence.from(key, StandardCharsets.UTF_8), ByteSequence.from(value));
    }

    @Override
    public void close() {
        client.close();
    }
}
