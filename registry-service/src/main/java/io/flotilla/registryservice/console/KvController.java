package io.flotilla.registryservice.console;

import io.swagger.v3.oas.annotations.Hidden;
import io.flotilla.raft.server.ReadMode;
import io.flotilla.registry.api.KvEntry;
import io.flotilla.registryservice.lease.LeaseTimers;
import io.flotilla.registryservice.state.command.RegistryQuery;
import io.flotilla.registryservice.store.RegistryStore;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.ModelAndView;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The KV and locks page: keys under a prefix with their values, indexes and leases, and the lock key space read
 * as locks. Both parts are blocking queries on their prefix, so a write under it shows at once.
 */
@Hidden
@ConditionalOnConsole
@Controller("consoleKvController")
@RequestMapping("/ui/kv")
class KvController {

    /** More keys than this are counted, not shown: the page stays light. */
    static final int MAX_SHOWN = 500;
    private static final int VALUE_PREVIEW = 200;

    public record KeyRow(String key, String value, long createIndex, long modIndex, long leaseId, String leaseExpiresIn) {
    }

    private final RegistryStore store;
    private final LeaseTimers leases;
    private final ConsoleProperties properties;

    KvController(RegistryStore store, LeaseTimers leases, ConsoleProperties properties) {
        this.store = store;
        this.leases = leases;
        this.properties = properties;
    }

    @GetMapping
    CompletableFuture<ModelAndView> page(@RequestParam(defaultValue = "") String prefix) {
        return keys(prefix, 0, Duration.ZERO).thenCombine(locks(0, Duration.ZERO), (keys, locks) -> {
            ModelAndView page = new ModelAndView("console/kv", keys);
            page.addAllObjects(locks);
            return page;
        });
    }

    @GetMapping("/live")
    CompletableFuture<ModelAndView> live(@RequestParam(defaultValue = "") String prefix,
                                         @RequestParam(defaultValue = "0") long index) {
        return keys(prefix, index, properties.getRefresh()).thenApply(keys -> new ModelAndView("console/kv :: keys", keys));
    }

    @GetMapping("/locks/live")
    CompletableFuture<ModelAndView> liveLocks(@RequestParam(defaultValue = "0") long index) {
        return locks(index, properties.getRefresh()).thenApply(locks -> new ModelAndView("console/kv :: locks", locks));
    }

    private CompletableFuture<Map<String, Object>> keys(String prefix, long index, Duration wait) {
        return store.watch(new RegistryQuery.KvGetPrefix(prefix), ReadMode.STALE, index, wait).thenApply(answer -> {
            RegistryQuery.KvEntries entries = (RegistryQuery.KvEntries) answer;
            List<KeyRow> rows = entries.entries().stream().limit(MAX_SHOWN).map(this::row).toList();
            return Map.of("prefix", prefix, "keys", rows, "keyCount", entries.entries().size(),
                    "keysIndex", entries.index());
        });
    }

    private CompletableFuture<Map<String, Object>> locks(long index, Duration wait) {
        String prefix = properties.getLockPrefix();
        return store.watch(new RegistryQuery.KvGetPrefix(prefix), ReadMode.STALE, index, wait).thenApply(answer -> {
            RegistryQuery.KvEntries entries = (RegistryQuery.KvEntries) answer;
            return Map.of("lockPrefix", prefix, "locks", LockView.of(prefix, entries.entries(), this::expiresIn),
                    "locksIndex", entries.index());
        });
    }

    private KeyRow row(KvEntry entry) {
        return new KeyRow(entry.key(), preview(entry.value()), entry.createIndex(), entry.modIndex(), entry.leaseId(),
                expiresIn(entry.leaseId()));
    }

    private String expiresIn(long leaseId) {
        if (leaseId == 0) {
            return "—";
        }
        var remaining = leases.remainingMillis(leaseId);
        return remaining.isPresent() ? Durations.format(Duration.ofMillis(remaining.getAsLong())) : "on the leader";
    }

    /** UTF-8 text, shortened; anything else as its size. */
    static String preview(byte[] value) {
        try {
            String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(value)).toString();
            return text.length() > VALUE_PREVIEW ? text.substring(0, VALUE_PREVIEW) + "…" : text;
        } catch (CharacterCodingException e) {
            return "(" + value.length + " bytes, not UTF-8)";
        }
    }
}
