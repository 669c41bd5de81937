package io.flotilla.id.redis;

import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Pattern;

import io.flotilla.id.core.IdGenerationException;

import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.DefaultRedisScript;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * Ids from a Redis counter ({@code INCR} / {@code INCRBY} on {@code <key-prefix><name>}), guarded by a persisted
 * high-water mark so that a Redis that lost its data cannot make ids go back.
 *
 * <p><b>Why the mark.</b> Redis without AOF (or with {@code appendfsync everysec}) loses the last writes on a
 * restart, and a lost or flushed key starts again at 1: a bare {@code INCR} would then repeat ids. Before an id
 * above the mark is returned, the mark is raised to {@code id + reserveStep} in the {@link HighWaterMarkStore}
 * (one durable write per {@code reserveStep} ids). Every id returned is then at or below the mark.
 *
 * <p><b>How going back is seen.</b> A counter that kept its data always answers above every value it answered
 * before. So an answer at or below the floor, the larger of the mark read at start-up (ids of earlier runs) and
 * the highest id this generator has issued, means the counter went back: the generator raises the key to the
 * floor with a compare-and-set script and increments again. The check costs nothing on the normal path: one
 * {@code INCR} per id.
 *
 * <p><b>Several processes on one counter.</b> On a detected regression the key is raised above the mark read
 * again from the store. With a store all processes share ({@link JdbcHighWaterMarkStore}: the mark only rises, and
 * every process raises it before returning an id above it) that mark is above every id any of them issued, and the
 * first process to see the counter gone back lifts it above all of them. With a store of its own per process
 * ({@link FileHighWaterMarkStore}) each guards only its own ids: after a data loss one may hand out an id that
 * only another had issued, so give each process its own counter name there.
 */
public final class RedisIdGenerator {

    /** Counter names: letters, digits and {@code . _ -}, starting with a letter or digit, at most 128 characters. */
    public static final Pattern NAME_PATTERN = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    /** Raises the key to at least ARGV[1] (never lowers it), then increments it by ARGV[2]. */
    private static final RedisScript<Long> RAISE_AND_INCREMENT = new DefaultRedisScript<>("""
            local current = tonumber(redis.call('GET', KEYS[1]) or '0')
            if current < tonumber(ARGV[1]) then
              redis.call('SET', KEYS[1], ARGV[1])
            end
            return redis.call('INCRBY', KEYS[1], ARGV[2])
            """, Long.class);

    private final StringRedisTemplate redis;

    private final HighWaterMarkStore marks;

    private final String keyPrefix;

    private final long reserveStep;

    private final ConcurrentHashMap<String, Counter> counters = new ConcurrentHashMap<>();

    private final LongAdder regressions = new LongAdder();

    /**
     * @param redis the Redis the counters live in
     * @param marks where the high-water marks are kept
     * @param keyPrefix prefix of the counters' keys
     * @param reserveStep how far ahead of the issued ids the mark is written, at least 1
     */
    public RedisIdGenerator(StringRedisTemplate redis, HighWaterMarkStore marks, String keyPrefix,
            long reserveStep) {
        if (reserveStep < 1) {
            throw new IllegalArgumentException("reserveStep must be at least 1, got " + reserveStep);
        }
        this.redis = Objects.requireNonNull(redis, "redis");
        this.marks = Objects.requireNonNull(marks, "marks");
        this.keyPrefix = Objects.requireNonNull(keyPrefix, "keyPrefix");
        this.reserveStep = reserveStep;
    }

    /**
     * Issues one id of a counter.
     *
     * @param name the counter, see {@link #NAME_PATTERN}
     * @return the id, above every id of this counter this generator (and its earlier runs) issued
     * @throws IdGenerationException when Redis or the mark store cannot be reached
     */
    public long next(String name) {
        return next(name, 1)[0];
    }

    /**
     * Issues {@code count} consecutive ids of a counter with one {@code INCRBY}.
     *
     * @param name the counter
     * @param count how many, at least 1
     * @return the ids, increasing
     * @throws IdGenerationException when Redis or the mark store cannot be reached
     */
    public long[] next(String name, int count) {
        if (count < 1) {
            throw new IllegalArgumentException("count must be at least 1, got " + count);
        }
        Counter counter = counter(name);
        long floor = counter.floor();
        long last = increment(counter.key, count);
        if (last - count < floor) {
            // The counter answered at or below ids already issued: it lost data. Raise it above them, and above
            // what other processes sharing the mark store have reserved.
            regressions.increment();
            last = raiseAndIncrement(counter.key, Math.max(floor, loadMark(name)), count);
        }
        counter.reserveUpTo(last);
        counter.issued(last);
        long[] ids = new long[count];
        for (int i = 0; i < count; i++) {
            ids[i] = last - count + 1 + i;
        }
        return ids;
    }

    /** @return times a counter was found below the ids already issued and raised */
    public long regressions() {
        return regressions.sum();
    }

    private Counter counter(String name) {
        Counter counter = counters.get(name);
        if (counter != null) {
            return counter;
        }
        if (name == null || !NAME_PATTERN.matcher(name).matches()) {
            throw new IllegalArgumentException("counter name must be 1 to 128 letters, digits or . _ - (starting "
                    + "with a letter or digit), got '" + name + "'");
        }
        return counters.computeIfAbsent(name, (n) -> new Counter(n, keyPrefix + n, marks.load(n)));
    }

    private long loadMark(String name) {
        try {
            return marks.load(name).orElse(0);
        }
        catch (RuntimeException ex) {
            throw (ex instanceof IdGenerationException generation) ? generation
                    : new IdGenerationException("cannot read the high-water mark of Redis counter '" + name + "': "
                            + ex.getMessage(), ex);
        }
    }

    private long increment(String key, int count) {
        try {
            Long value = redis.opsForValue().increment(key, count);
            if (value == null) {
                throw new IdGenerationException("Redis answered no value to INCRBY " + key);
            }
            return value;
        }
        catch (RuntimeException ex) {
            throw wrap(key, ex);
        }
    }

    private long raiseAndIncrement(String key, long floor, int count) {
        try {
            Long value = redis.execute(RAISE_AND_INCREMENT, List.of(key), Long.toString(floor),
                    Integer.toString(count));
            if (value == null) {
                throw new IdGenerationException("Redis answered no value to the raise script on " + key);
            }
            return value;
        }
        catch (RuntimeException ex) {
            throw wrap(key, ex);
        }
    }

    private static IdGenerationException wrap(String key, RuntimeException ex) {
        if (ex instanceof IdGenerationException generation) {
            return generation;
        }
        return new IdGenerationException("cannot increment Redis counter " + key + ": " + ex.getMessage(), ex);
    }

    /** One counter's guard: the mark on disk and the highest id issued in this run. */
    private final class Counter {

        final String name;

        final String key;

        /** Ids at or below it may have been issued by an earlier run. */
        final long startMark;

        /** Every id returned so far is at or below it; durable. */
        volatile long reserved;

        final AtomicLong highestIssued = new AtomicLong();

        Counter(String name, String key, OptionalLong mark) {
            this.name = name;
            this.key = key;
            this.startMark = mark.orElse(0);
            this.reserved = this.startMark;
        }

        /**
         * Answers from a counter that kept its data are above every answer that completed before the request was
         * sent, so they are above this floor read before sending.
         */
        long floor() {
            return Math.max(startMark, highestIssued.get());
        }

        void reserveUpTo(long id) {
            if (id <= reserved) {
                return;
            }
            synchronized (this) {
                if (id > reserved) {
                    long mark = Math.addExact(id, reserveStep);
                    try {
                        marks.store(name, mark);
                    }
                    catch (RuntimeException ex) {
                        throw new IdGenerationException("cannot persist the high-water mark of Redis counter '"
                                + name + "'; the ids just taken are skipped: " + ex.getMessage(), ex);
                    }
                    reserved = mark;
                }
            }
        }

        void issued(long id) {
            highestIssued.accumulateAndGet(id, Math::max);
        }
    }
}
