package io.flotilla.raft.server;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Each member's HTTP base URL as the member itself published it through the log: replicated state, applied on
 * the Raft event loop by {@link KitStateMachine} and read from any thread. A map swapped whole on each change, so
 * readers never lock; it changes only when a member starts with a new address.
 */
public final class MemberDirectory {

    private volatile Map<String, String> urls = Map.of();

    /** The URL {@code memberId} published, if it has. */
    public Optional<String> url(String memberId) {
        return Optional.ofNullable(urls.get(memberId));
    }

    /** Every published URL by member id. */
    public Map<String, String> urls() {
        return urls;
    }

    void publish(String memberId, String url) {
        Map<String, String> next = new TreeMap<>(urls);
        next.put(memberId, url);
        urls = Map.copyOf(next);
    }

    void replace(Map<String, String> all) {
        urls = Map.copyOf(all);
    }
}
