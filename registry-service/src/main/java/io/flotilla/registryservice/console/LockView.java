package io.flotilla.registryservice.console;

import io.flotilla.registry.api.KvEntry;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongFunction;
import java.util.regex.Pattern;

/**
 * A lock of the lock starter's registry backend, read from its keys: each contender is a sequential key
 * {@code <prefix><name>/<20-digit index>} holding the owner, on the contender's lease; the lowest key holds the lock,
 * its {@code createIndex} is the fencing token, and the others wait in key order (FIFO).
 */
public record LockView(String name, String holder, long fencingToken, String leaseExpiresIn, List<String> waiters) {

    private static final Pattern CONTENDER = Pattern.compile("(.+)/\\d{20}");

    /**
     * @param entries   the keys under {@code prefix}, in key order
     * @param expiresIn the time left on a lease, shown as text
     */
    static List<LockView> of(String prefix, List<KvEntry> entries, LongFunction<String> expiresIn) {
        Map<String, List<KvEntry>> byName = new TreeMap<>();
        for (KvEntry entry : entries) {
            var matcher = CONTENDER.matcher(entry.key().substring(prefix.length()));
            if (matcher.matches()) {
                byName.computeIfAbsent(matcher.group(1), name -> new ArrayList<>()).add(entry);
            }
        }
        List<LockView> locks = new ArrayList<>();
        byName.forEach((name, contenders) -> {
            KvEntry holder = contenders.getFirst();
            List<String> waiters = contenders.subList(1, contenders.size()).stream().map(LockView::owner).toList();
            locks.add(new LockView(name, owner(holder), holder.createIndex(), expiresIn.apply(holder.leaseId()),
                    waiters));
        });
        return locks;
    }

    private static String owner(KvEntry entry) {
        return new String(entry.value(), StandardCharsets.UTF_8);
    }
}
