package io.flotilla.bench.raft;

import java.util.concurrent.CompletableFuture;

/** A replicated key-value store the load driver writes to; a put completes once it is committed. */
public interface KvTarget extends AutoCloseable {

    String name();

    CompletableFuture<?> put(String key, byte[] value);

    @Override
    void close();
}
