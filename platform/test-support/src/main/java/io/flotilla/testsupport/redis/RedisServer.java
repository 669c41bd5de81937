package io.flotilla.testsupport.redis;

import io.flotilla.testsupport.ServerLocation;

import java.util.UUID;

/** A running Redis server; each test takes its own {@link TestRedis} key prefix on it. */
public record RedisServer(String host, int port, ServerLocation location) {

    public String uri() {
        return "redis://" + host + ":" + port;
    }

    /** A unique key prefix on this server; close the result to delete every key under it. */
    public TestRedis newKeyspace() {
        return new TestRedis(this, "flotilla-test:" + UUID.randomUUID().toString().substring(0, 13) + ":");
    }
}
