package io.flotilla.registryservice.console;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When each Raft group's leader last changed, as this console saw it: Raft keeps no wall-clock time of an
 * election, so the console notes the moment a look at the group first shows a new (leader, term). Until it has
 * seen a change it reports the moment it first looked, marked as such.
 */
class LeaderChanges {

    /** The leader and term last seen for a group, since {@code since}; {@code observedChange} false before any change. */
    record Seen(String leaderId, long term, Instant since, boolean observedChange) {
    }

    private final Map<String, Seen> groups = new ConcurrentHashMap<>();

    Seen observe(String group, String leaderId, long term, Instant now) {
        return groups.compute(group, (name, previous) -> {
            if (previous == null) {
                return new Seen(leaderId, term, now, false);
            }
            if (Objects.equals(previous.leaderId(), leaderId) && previous.term() == term) {
                return previous;
            }
            return new Seen(leaderId, term, now, true);
        });
    }
}
