package io.flotilla.registry.client;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Keeps a blocking query running on a virtual thread and hands every changed answer to a listener: the watch
 * behind the discovery cache, and the way a lock waiter learns that its predecessor's key is gone.
 *
 * <p>
 * The first query does not block; each next one passes the last index back with {@code wait}. An answer whose
 * index went backwards (the registry was restored from an older state) restarts from index 0, as Consul clients
 * do. The listener is called for the first answer and whenever the index or the value changed, never
 * concurrently. Failures are retried with back-off (up to {@code maxBackoff}) until {@link #close()}.
 *
 * @param <T> the answer's type
 */
public final class RegistryWatch<T> implements AutoCloseable {

    private static final System.Logger LOGGER = System.getLogger(RegistryWatch.class.getName());

    /** Below this, an unchanged answer came back without blocking: pause so a non-blocking server is not flooded. */
    private static final Duration MIN_ROUND_TRIP = Duration.ofMillis(50);

    private final String name;

    private final Function<QueryOptions, Indexed<T>> query;

    private final Duration wait;

    private final Duration maxBackoff;

    private final Consumer<Indexed<T>> listener;

    private final Thread thread;

    private volatile boolean closed;

    private RegistryWatch(String name, Function<QueryOptions, Indexed<T>> query, Duration wait, Duration maxBackoff,
            Consumer<Indexed<T>> listener) {
        this.name = name;
        this.query = query;
        this.wait = wait;
        this.maxBackoff = maxBackoff;
        this.listener = listener;
        this.thread = Thread.ofVirtual().name("flotilla-registry-watch-" + name).unstarted(this::run);
    }

    /**
     * Starts a watch.
     *
     * @param name shown in the thread name and in logs, e.g. {@code instances:order-service}
     * @param query the read to repeat, e.g. {@code options -> client.instances("order-service", options)}
     * @param wait how long the registry may hold each blocking query
     * @param listener called with the first answer and every changed one
     * @param <T> the answer's type
     * @return the running watch
     */
    public static <T> RegistryWatch<T> start(String name, Function<QueryOptions, Indexed<T>> query, Duration wait,
            Consumer<Indexed<T>> listener) {
        RegistryWatch<T> watch = new RegistryWatch<>(name, Objects.requireNonNull(query, "query"), wait,
                Duration.ofSeconds(5), Objects.requireNonNull(listener, "listener"));
        watch.thread.start();
        return watch;
    }

    private void run() {
        long index = 0;
        T last = null;
        boolean delivered = false;
        int failures = 0;
        while (!this.closed) {
            long started = System.nanoTime();
            Indexed<T> answer;
            try {
                QueryOptions options = index > 0 ? QueryOptions.blockingAfter(index, this.wait) : QueryOptions.DEFAULT;
                answer = this.query.apply(options);
            }
            catch (RuntimeException ex) {
                if (this.closed) {
                    return;
                }
                failures++;
                Duration backoff = backoff(failures);
                LOGGER.log(failures == 1 ? System.Logger.Level.WARNING : System.Logger.Level.DEBUG,
                        "Registry watch {0} failed ({1}); retrying in {2}", this.name, ex.getMessage(), backoff);
                pause(backoff);
                continue;
            }
            failures = 0;
            boolean changed = !delivered || answer.index() != index || !Objects.equals(answer.value(), last);
            long newIndex = answer.index() < index ? 0 : answer.index();
            if (changed && !this.closed) {
                delivered = true;
                last = answer.value();
                deliver(answer);
            }
            else if (Duration.ofNanos(System.nanoTime() - started).compareTo(MIN_ROUND_TRIP) < 0) {
                pause(MIN_ROUND_TRIP);
            }
            index = newIndex;
        }
    }

    private void deliver(Indexed<T> answer) {
        try {
            this.listener.accept(answer);
        }
        catch (RuntimeException ex) {
            LOGGER.log(System.Logger.Level.WARNING, "Listener of registry watch " + this.name + " failed", ex);
        }
    }

    private Duration backoff(int failures) {
        Duration backoff = Duration.ofMillis(100L << Math.min(failures - 1, 10));
        return backoff.compareTo(this.maxBackoff) > 0 ? this.maxBackoff : backoff;
    }

    private void pause(Duration duration) {
        try {
            Thread.sleep(duration);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            this.closed = true;
        }
    }

    /** @return whether {@link #close()} was called */
    public boolean isClosed() {
        return this.closed;
    }

    /** Stops the watch; an answer being delivered finishes first. */
    @Override
    public void close() {
        this.closed = true;
        this.thread.interrupt();
    }
}
