package io.flotilla.raft.core;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class SessionTableTests {

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void retryGetsTheCachedResultAndOlderRequestsAreStale() {
        SessionTable sessions = new SessionTable(1_000, 10);
        assertThat(sessions.lookup("c", 1)).isInstanceOf(SessionTable.Fresh.class);
        sessions.record("c", 1, bytes("one"), 5);
        sessions.record("c", 2, bytes("two"), 6);

        assertThat(sessions.lookup("c", 2)).isInstanceOfSatisfying(SessionTable.Duplicate.class,
                duplicate -> assertThat(duplicate.result()).isEqualTo(bytes("two")));
        assertThat(sessions.lookup("c", 1)).isInstanceOf(SessionTable.Stale.class);
        assertThat(sessions.lookup("c", 3)).isInstanceOf(SessionTable.Fresh.class);
    }

    @Test
    void sessionsExpireByLogIndexNotByTime() {
        SessionTable sessions = new SessionTable(10, 100);
        sessions.record("idle", 1, bytes("a"), 1);
        sessions.record("busy", 1, bytes("b"), 5);
        sessions.record("busy", 2, bytes("c"), 12);
        assertThat(sessions.lookup("idle", 1)).as("unused for 11 entries").isInstanceOf(SessionTable.Fresh.class);
        assertThat(sessions.lookup("busy", 2)).isInstanceOf(SessionTable.Duplicate.class);
    }

    @Test
    void leastRecentlyUsedSessionIsEvictedBeyondTheCap() {
        SessionTable sessions = new SessionTable(1_000, 2);
        sessions.record("a", 1, bytes("a"), 1);
        sessions.record("b", 1, bytes("b"), 2);
        sessions.record("a", 2, bytes("a2"), 3);
        sessions.record("c", 1, bytes("c"), 4);
        assertThat(sessions.lookup("b", 1)).isInstanceOf(SessionTable.Fresh.class);
        assertThat(sessions.lookup("a", 2)).isInstanceOf(SessionTable.Duplicate.class);
    }

    @Test
    void tableSurvivesEncodingWithItsOrder() {
        SessionTable sessions = new SessionTable(1_000, 2);
        sessions.record("a", 1, bytes("a"), 1);
        sessions.record("b", 7, bytes("b"), 2);
        SessionTable restored = new SessionTable(1_000, 2);
        restored.restore(sessions.encode());
        assertThat(restored.lookup("b", 7)).isInstanceOfSatisfying(SessionTable.Duplicate.class,
                duplicate -> assertThat(duplicate.result()).isEqualTo(bytes("b")));
        restored.record("c", 1, bytes("c"), 3);
        assertThat(restored.lookup("a", 1)).as("oldest evicted first").isInstanceOf(SessionTable.Fresh.class);
    }
}
