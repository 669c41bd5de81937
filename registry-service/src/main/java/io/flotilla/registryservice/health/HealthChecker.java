package io.flotilla.registryservice.health;

import io.flotilla.registryservice.state.Instance;
import io.flotilla.registryservice.state.RegistryChangeListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Optional active health checks: every instance whose metadata holds {@code healthCheckUrl} is probed with an
 * HTTP GET each interval; a 2xx answer is {@code UP}, anything else (or no answer within the timeout) is
 * {@code DOWN}. An instance without a URL, or not probed yet, is {@code UP}: its lease alone decides whether it
 * is listed.
 *
 * <p>The result is this node's own observation, not replicated: every node probes, so a stale read from a
 * follower reports a status as fresh as the leader's. A failing check does not deregister the instance; its
 * lease still does that when heartbeats stop.
 */
public final class HealthChecker implements RegistryChangeListener, SmartLifecycle {

    public static final String URL_METADATA_KEY = "healthCheckUrl";
    public static final String UP = "UP";
    public static final String DOWN = "DOWN";

    private static final Logger log = LoggerFactory.getLogger(HealthChecker.class);

    private final Duration interval;
    private final Duration timeout;
    private final Map<String, URI> targets = new ConcurrentHashMap<>();
    private final Map<String, String> statuses = new ConcurrentHashMap<>();
    private HttpClient client;
    private ScheduledExecutorService executor;

    public HealthChecker(Duration interval, Duration timeout) {
        this.interval = interval;
        this.timeout = timeout;
    }

    /**
     * The probes' client, made at the first probe: most registries have no instance with a health-check URL, and
     * building it (a selector thread, the JDK's default TLS context with its trust store) was one of the larger steps
     * of the registry's start.
     */
    private synchronized HttpClient client() {
        if (client == null) {
            client = HttpClient.newBuilder().connectTimeout(timeout).version(HttpClient.Version.HTTP_1_1).build();
        }
        return client;
    }

    public String statusOf(String service, String instanceId) {
        return statuses.getOrDefault(ref(service, instanceId), UP);
    }

    /** Probes every target once; answers arrive asynchronously. */
    public void probeAll() {
        targets.forEach((ref, uri) -> {
            HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).GET().build();
            client().sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, failure) -> {
                String status = failure == null && response.statusCode() / 100 == 2 ? UP : DOWN;
                // The instance may have gone (or changed URL) while the probe was in flight.
                if (uri.equals(targets.get(ref))) {
                    String previous = statuses.put(ref, status);
                    if (!status.equals(previous)) {
                        log.info("Health check of {} at {}: {}", ref, uri, status);
                    }
                }
            });
        });
    }

    @Override
    public void serviceChanged(long index, String service) {
    }

    @Override
    public void keyChanged(long index, String key) {
    }

    @Override
    public void instanceRegistered(Instance instance) {
        String ref = ref(instance.service(), instance.instanceId());
        String url = instance.metadata().get(URL_METADATA_KEY);
        URI uri = url == null ? null : parse(url);
        if (uri == null) {
            targets.remove(ref);
            statuses.remove(ref);
        } else if (!uri.equals(targets.put(ref, uri))) {
            statuses.remove(ref);
        }
    }

    @Override
    public void instanceRemoved(String service, String instanceId) {
        targets.remove(ref(service, instanceId));
        statuses.remove(ref(service, instanceId));
    }

    @Override
    public void restored(Map<Long, Long> leaseTtls, List<Instance> instances) {
        targets.clear();
        statuses.clear();
        instances.forEach(this::instanceRegistered);
    }

    @Override
    public synchronized void start() {
        executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "health-checks");
            thread.setDaemon(true);
            return thread;
        });
        executor.scheduleWithFixedDelay(this::probeSafely, interval.toMillis(), interval.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    private void probeSafely() {
        try {
            probeAll();
        } catch (RuntimeException e) {
            log.warn("Health check pass failed", e);
        }
    }

    @Override
    public synchronized void stop() {
        if (executor != null) {
            executor.shutdownNow();
            executor = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return executor != null;
    }

    /** Only absolute http(s) URLs are probed; anything else is ignored rather than refused at registration. */
    private static URI parse(String url) {
        try {
            URI uri = URI.create(url);
            return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null
                    ? uri : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String ref(String service, String instanceId) {
        return service + "/" + instanceId;
    }
}
