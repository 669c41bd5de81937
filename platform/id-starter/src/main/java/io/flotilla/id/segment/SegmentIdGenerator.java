package io.flotilla.id.segment;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;

/**
 * Segment ids (Leaf-segment): each tag's ids come from ranges taken from a {@link SegmentStore} with one
 * conditional update each, and are served from memory with one atomic increment per id.
 *
 * <p><b>Double buffer.</b> Once 10% of the current segment is used, the next one is taken in the background, so
 * the switch at the end of a segment rarely waits for the database. <b>Adaptive step.</b> Each new segment is
 * sized by a {@link SegmentStepPolicy} from the time the previous one lasted.
 *
 * <p><b>Guarantees.</b> Ids of a tag issued by one generator are strictly increasing; generators sharing the
 * store (replicas) never issue the same id, since segments never overlap; after a restart every id is above every
 * id issued before it by any generator, since the new segment lies above all earlier ones. Ids of a segment that
 * was not used up before a restart are skipped, never reissued: ids have gaps.
 */
public final class SegmentIdGenerator implements AutoCloseable {

    /** Tag names: letters, digits and {@code . _ : -}, starting with a letter or digit, at most 128 characters. */
    public static final Pattern TAG_PATTERN = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}");

    /** Share of a segment used before the next one is taken in the background. */
    static final double PREFETCH_AT = 0.1;

    private final SegmentStore store;

    private final SegmentStepPolicy policy;

    private final Executor loader;

    private final ExecutorService ownedLoader;

    private final LongSupplier nanoTime;

    private final ConcurrentHashMap<String, TagBuffer> buffers = new ConcurrentHashMap<>();

    private final LongAdder segmentsTaken = new LongAdder();

    private final LongAdder switchWaits = new LongAdder();

    /**
     * A generator with Leaf's step bounds, its own daemon loader thread and the system clock.
     *
     * @param store where segments come from
     */
    public SegmentIdGenerator(SegmentStore store) {
        this(store, SegmentStepPolicy.DEFAULT);
    }

    /**
     * @param store where segments come from
     * @param policy step bounds
     */
    public SegmentIdGenerator(SegmentStore store, SegmentStepPolicy policy) {
        this(store, policy, newLoader(), true, System::nanoTime);
    }

    private SegmentIdGenerator(SegmentStore store, SegmentStepPolicy policy, ExecutorService loader, boolean owned,
            LongSupplier nanoTime) {
        this(store, policy, loader, owned ? loader : null, nanoTime);
    }

    /**
     * @param store where segments come from
     * @param policy step bounds
     * @param loader runs background segment loads; not shut down by {@link #close()}
     * @param nanoTime monotonic clock in nanoseconds (for the adaptive step)
     */
    public SegmentIdGenerator(SegmentStore store, SegmentStepPolicy policy, Executor loader,
            LongSupplier nanoTime) {
        this(store, policy, loader, null, nanoTime);
    }

    private SegmentIdGenerator(SegmentStore store, SegmentStepPolicy policy, Executor loader,
            ExecutorService ownedLoader, LongSupplier nanoTime) {
        this.store = Objects.requireNonNull(store, "store");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.loader = Objects.requireNonNull(loader, "loader");
        this.ownedLoader = ownedLoader;
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
    }

    /**
     * Creates a tag; its first id will be 1.
     *
     * @param tag the tag, see {@link #TAG_PATTERN}
     * @param step its segment size before adaptation, 1..{@code maxStep}
     * @throws InvalidSegmentRequestException on a bad name or step (nothing is written)
     * @throws TagExistsException when the tag exists
     */
    public void createTag(String tag, long step) {
        requireValidTag(tag);
        if (step < 1 || step > policy.maxStep()) {
            throw new InvalidSegmentRequestException(
                    "step must be between 1 and " + policy.maxStep() + ", got " + step);
        }
        store.create(tag, step);
    }

    /**
     * Issues one id of a tag.
     *
     * @param tag the tag
     * @return the id, greater than every id of this tag this generator issued before
     * @throws UnknownTagException when the tag does not exist
     * @throws IdSegmentException when a new segment is needed and cannot be taken
     */
    public long next(String tag) {
        TagBuffer buffer = buffer(tag);
        while (true) {
            Range range = buffer.current;
            long id = range.cursor.getAndIncrement();
            if (id <= range.segment.lastId()) {
                if (id >= range.prefetchAt) {
                    prefetch(buffer, range);
                }
                return id;
            }
            switchFrom(buffer, range);
        }
    }

    /**
     * Issues {@code count} ids of a tag, increasing; they may span segments.
     *
     * @param tag the tag
     * @param count how many, at least 1
     * @return the ids, increasing, each greater than every id of this tag this generator issued before
     * @throws UnknownTagException when the tag does not exist
     * @throws IdSegmentException when a new segment is needed and cannot be taken; ids already taken by the
     *         call are skipped, never reissued
     */
    public long[] next(String tag, int count) {
        if (count < 1) {
            throw new InvalidSegmentRequestException("count must be at least 1, got " + count);
        }
        TagBuffer buffer = buffer(tag);
        long[] ids = new long[count];
        int filled = 0;
        while (true) {
            Range range = buffer.current;
            long first = range.cursor.getAndAdd(count - filled);
            long last = Math.min(range.segment.lastId(), first + (count - filled) - 1);
            for (long id = first; id <= last; id++) {
                ids[filled++] = id;
            }
            if (first <= last && last >= range.prefetchAt) {
                prefetch(buffer, range);
            }
            if (filled == count) {
                return ids;
            }
            switchFrom(buffer, range);
        }
    }

    /** @return segments taken from the store so far */
    public long segmentsTaken() {
        return segmentsTaken.sum();
    }

    /** @return times a segment ran out before the next one was loaded, so issuing waited for the database */
    public long switchWaits() {
        return switchWaits.sum();
    }

    /**
     * @param tag a tag this generator has served
     * @return the size of its current segment, or 0 if it has served none
     */
    public long currentStep(String tag) {
        TagBuffer buffer = buffers.get(tag);
        return (buffer != null) ? buffer.current.segment.size() : 0;
    }

    @Override
    public void close() {
        if (ownedLoader != null) {
            ownedLoader.shutdownNow();
        }
    }

    private TagBuffer buffer(String tag) {
        TagBuffer buffer = buffers.get(tag);
        if (buffer != null) {
            return buffer;
        }
        requireValidTag(tag);
        TagBuffer created = new TagBuffer(tag);
        created.current = load(created);
        // A racing first call may win; its segment is above ours, so dropping ours only leaves a gap.
        TagBuffer existing = buffers.putIfAbsent(tag, created);
        return (existing != null) ? existing : created;
    }

    private static void requireValidTag(String tag) {
        if (tag == null || !TAG_PATTERN.matcher(tag).matches()) {
            throw new InvalidSegmentRequestException("tag must be 1 to 128 letters, digits or . _ : - (starting "
                    + "with a letter or digit), got '" + tag + "'");
        }
    }

    /** Starts loading the segment after {@code range}, once per range. */
    private void prefetch(TagBuffer buffer, Range range) {
        if (range.next.get() != null) {
            return;
        }
        CompletableFuture<Range> future = new CompletableFuture<>();
        if (range.next.compareAndSet(null, future)) {
            try {
                loader.execute(() -> complete(future, buffer));
            }
            catch (RejectedExecutionException ex) {
                future.completeExceptionally(new IdSegmentException("segment loader is shut down", ex));
            }
        }
    }

    /**
     * Moves the tag from an exhausted range to the next one: the prefetched one (waiting for it if still loading),
     * else one loaded now. Every load of a tag happens after the previous one returned, so ranges only go up.
     */
    private void switchFrom(TagBuffer buffer, Range exhausted) {
        buffer.lock.lock();
        try {
            if (buffer.current != exhausted) {
                return;
            }
            CompletableFuture<Range> future = exhausted.next.get();
            if (future == null || future.isCompletedExceptionally()) {
                CompletableFuture<Range> now = new CompletableFuture<>();
                if (exhausted.next.compareAndSet(future, now)) {
                    complete(now, buffer);
                }
                future = exhausted.next.get();
            }
            if (!future.isDone()) {
                switchWaits.increment();
            }
            try {
                buffer.current = future.join();
            }
            catch (CompletionException ex) {
                exhausted.next.compareAndSet(future, null);
                if (ex.getCause() instanceof RuntimeException cause) {
                    throw cause;
                }
                throw new IdSegmentException("cannot take a segment of tag '" + buffer.tag + "'", ex.getCause());
            }
        }
        finally {
            buffer.lock.unlock();
        }
    }

    private void complete(CompletableFuture<Range> future, TagBuffer buffer) {
        try {
            future.complete(load(buffer));
        }
        catch (RuntimeException ex) {
            future.completeExceptionally(ex);
        }
    }

    /** Takes the next segment; loads of one tag never run concurrently (see {@link #switchFrom}). */
    private Range load(TagBuffer buffer) {
        long now = nanoTime.getAsLong();
        long step = (buffer.step == 0) ? 0
                : policy.nextStep(buffer.step, buffer.baseStep, now - buffer.lastLoadNanos);
        Segment segment = store.allocate(buffer.tag, step);
        segmentsTaken.increment();
        buffer.step = segment.size();
        buffer.baseStep = segment.baseStep();
        buffer.lastLoadNanos = now;
        return new Range(segment);
    }

    private static ExecutorService newLoader() {
        AtomicInteger threads = new AtomicInteger();
        ThreadFactory factory = (task) -> {
            Thread thread = new Thread(task, "flotilla-id-segment-loader-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
        return Executors.newCachedThreadPool(factory);
    }

    /** One tag's double buffer: the range being served and, hanging off it, the next one. */
    private static final class TagBuffer {

        final String tag;

        final ReentrantLock lock = new ReentrantLock();

        volatile Range current;

        volatile long step;

        volatile long baseStep;

        volatile long lastLoadNanos;

        TagBuffer(String tag) {
            this.tag = tag;
        }
    }

    /** A segment being served: the next id to hand out and the load of the segment after it. */
    private static final class Range {

        final Segment segment;

        final AtomicLong cursor;

        final long prefetchAt;

        final AtomicReference<CompletableFuture<Range>> next = new AtomicReference<>();

        Range(Segment segment) {
            this.segment = segment;
            this.cursor = new AtomicLong(segment.firstId());
            this.prefetchAt = segment.firstId() + (long) Math.floor(segment.size() * PREFETCH_AT);
        }
    }
}
