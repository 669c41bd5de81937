package io.flotilla.registryservice.kv;

import io.flotilla.raft.server.ReadMode;
import io.flotilla.registry.api.KvWriteResponse;
import io.flotilla.registry.api.SequentialKeyResponse;
import io.flotilla.registryservice.RegistryProperties;
import io.flotilla.registryservice.state.command.RegistryCommand;
import io.flotilla.registryservice.state.command.RegistryQuery;
import io.flotilla.registryservice.store.InvalidRequestException;
import io.flotilla.registryservice.store.NotFoundException;
import io.flotilla.registryservice.store.RegistryStore;
import io.flotilla.registryservice.web.Blocking;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.concurrent.CompletableFuture;

/**
 * The consistent core: keys are paths ({@code /v1/kv/a/b/c} is key {@code a/b/c}), values are the raw request
 * body. CAS by {@code modIndex}, keys bound to a lease, sequential keys, and watches as blocking queries.
 */
@RestController
class KvController {

    private final RegistryStore store;
    private final RegistryProperties properties;

    KvController(RegistryStore store, RegistryProperties properties) {
        this.store = store;
        this.properties = properties;
    }

    /**
     * One key as JSON ({@code ?raw}: its bytes), or with {@code ?recurse} every key under the prefix as a JSON
     * array (empty when none). A missing key is a 404 that still carries the index, so a client can watch for
     * its creation.
     */
    @GetMapping("/v1/kv/{*key}")
    CompletableFuture<ResponseEntity<?>> get(@PathVariable String key,
            @RequestParam(required = false) String recurse, @RequestParam(required = false) String raw,
            @RequestParam(required = false) String consistency,
            @RequestParam(name = "min-index", required = false) Long minIndex,
            @RequestParam(required = false) Long index, @RequestParam(required = false) String wait) {
        String name = key(key, recurse != null);
        Blocking blocking = Blocking.of(index, wait, properties);
        RegistryQuery query = recurse != null ? new RegistryQuery.KvGetPrefix(name) : new RegistryQuery.KvGet(name);
        return store.watch(query, ReadMode.of(consistency, minIndex), blocking.index(), blocking.maxWait())
                .thenApply(answer -> {
                    RegistryQuery.KvEntries entries = (RegistryQuery.KvEntries) answer;
                    String indexHeader = Long.toString(entries.index());
                    if (recurse != null) {
                        return ResponseEntity.ok().header(Blocking.INDEX_HEADER, indexHeader)
                                .body(entries.entries());
                    }
                    if (entries.entries().isEmpty()) {
                        throw new NotFoundException("no key " + name, entries.index());
                    }
                    if (raw != null) {
                        return ResponseEntity.ok().header(Blocking.INDEX_HEADER, indexHeader)
                                .contentType(MediaType.APPLICATION_OCTET_STREAM)
                                .body(entries.entries().getFirst().value());
                    }
                    return ResponseEntity.ok().header(Blocking.INDEX_HEADER, indexHeader)
                            .body(entries.entries().getFirst());
                });
    }

    /**
     * Writes the body as the key's value. {@code ?cas=N}: only if the key's modIndex is N (0: only if absent),
     * else 409. {@code ?lease=id}: the key goes when the lease does (404 if the lease is unknown).
     */
    @PutMapping("/v1/kv/{*key}")
    CompletableFuture<ResponseEntity<KvWriteResponse>> put(@PathVariable String key,
            @RequestBody(required = false) byte[] value, @RequestParam(required = false) Long cas,
            @RequestParam(required = false) Long lease) {
        String name = key(key, false);
        RegistryCommand.KvPut command = new RegistryCommand.KvPut(name, value == null ? new byte[0] : value,
                cas == null ? RegistryCommand.ANY_VERSION : nonNegative("cas", cas),
                lease == null ? 0 : nonNegative("lease", lease));
        return store.write(command).thenApply(ok -> ResponseEntity.ok()
                .header(Blocking.INDEX_HEADER, Long.toString(ok.index()))
                .body(new KvWriteResponse(name, ok.index())));
    }

    /**
     * {@code ?sequential} is required: creates {@code prefix/<20-digit index>} (201), answering with the key just
     * before it under the prefix.
     */
    @PostMapping("/v1/kv/{*prefix}")
    CompletableFuture<ResponseEntity<SequentialKeyResponse>> createSequential(@PathVariable String prefix,
            @RequestBody(required = false) byte[] value, @RequestParam(required = false) String sequential,
            @RequestParam(required = false) Long lease) {
        if (sequential == null) {
            throw new InvalidRequestException("POST on /v1/kv creates sequential keys: add ?sequential "
                    + "(use PUT to write a key)");
        }
        String name = key(prefix, false);
        return store.write(new RegistryCommand.KvCreateSequential(name, value == null ? new byte[0] : value,
                        lease == null ? 0 : nonNegative("lease", lease)))
                .thenApply(ok -> ResponseEntity.status(HttpStatus.CREATED)
                        .header(Blocking.INDEX_HEADER, Long.toString(ok.index()))
                        .body(new SequentialKeyResponse(ok.key(), ok.index(),
                                ok.predecessor().isEmpty() ? null : ok.predecessor())));
    }

    /** 204; 404 when the key is absent; 409 when {@code ?cas=N} does not match its modIndex. */
    @DeleteMapping("/v1/kv/{*key}")
    CompletableFuture<ResponseEntity<Void>> delete(@PathVariable String key,
            @RequestParam(required = false) Long cas) {
        String name = key(key, false);
        return store.write(new RegistryCommand.KvDelete(name,
                        cas == null ? RegistryCommand.ANY_VERSION : nonNegative("cas", cas)))
                .thenApply(ok -> ResponseEntity.noContent()
                        .header(Blocking.INDEX_HEADER, Long.toString(ok.index())).<Void>build());
    }

    /** The path capture starts with '/'; a prefix read may be empty (every key), a key may not. */
    private static String key(String captured, boolean prefixAllowed) {
        String key = captured.startsWith("/") ? captured.substring(1) : captured;
        if (key.isEmpty() && !prefixAllowed) {
            throw new InvalidRequestException("key must not be empty");
        }
        return key;
    }

    private static long nonNegative(String name, long value) {
        if (value < 0) {
            throw new InvalidRequestException(name + " must be >= 0, got " + value);
        }
        return value;
    }
}
