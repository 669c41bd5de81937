package io.flotilla.testsupport.redis;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;

/**
 * One test's slice of a shared Redis: every key the test writes starts with {@link #keyPrefix()}, and
 * closing deletes them all, so tests never see each other's keys and can run in any order.
 */
public final class TestRedis implements AutoCloseable {

    private final RedisServer server;
    private final String keyPrefix;

    TestRedis(RedisServer server, String keyPrefix) {
        this.server = server;
        this.keyPrefix = keyPrefix;
    }

    public String host() {
        return server.host();
    }

    public int port() {
        return server.port();
    }

    public String uri() {
        return server.uri();
    }

    public String keyPrefix() {
        return keyPrefix;
    }

    /** {@code keyPrefix() + name}. */
    public String key(String name) {
        return keyPrefix + name;
    }

    @Override
    public void close() {
        RedisClient client = RedisClient.create(server.uri());
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            RedisCommands<String, String> commands = connection.sync();
            ScanArgs match = ScanArgs.Builder.matches(keyPrefix + "*").limit(500);
            ScanCursor cursor = ScanCursor.INITIAL;
            do {
                KeyScanCursor<String> page = commands.scan(cursor, match);
                if (!page.getKeys().isEmpty()) {
                    commands.del(page.getKeys().toArray(String[]::new));
                }
                cursor = page;
            } while (!cursor.isFinished());
        } finally {
            client.shutdown();
        }
    }

    @Override
    public String toString() {
        return "Redis " + server.uri() + " keys " + keyPrefix + "* (via " + server.location() + ")";
    }
}
