package io.flotilla.registry.discovery;

import io.flotilla.registry.api.InstanceView;
import io.flotilla.registry.client.Indexed;
import io.flotilla.registry.client.RegistryClient;
import io.flotilla.registry.client.RegistryWatch;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.springframework.cloud.client.ServiceInstance;

/**
 * Instances per service, kept fresh by one blocking-query watch per service that has been asked for, and the
 * service list, kept by its own watch. Reads never call the registry, except that the first read of a service
 * waits (up to the initial-load timeout) for the watch's first answer. A service once asked for stays watched
 * until {@link #close()}: discovery clients ask for the same few services over and over.
 */
public final class ServiceInstanceCache implements AutoCloseable {

    /** Told about every change the watches see. */
    @FunctionalInterface
    public interface ChangeListener {

        /**
         * @param service the service whose instances changed, or {@code null} for the service list
         * @param index the registry index of the new answer
         */
        void changed(String service, long index);
    }

    private static final System.Logger LOGGER = System.getLogger(ServiceInstanceCache.class.getName());

    private final RegistryClient client;

    private final Duration watchWait;

    private final Duration initialLoadTimeout;

    private final Map<String, Entry<List<ServiceInstance>>> services = new ConcurrentHashMap<>();

    private final List<ChangeListener> listeners = new CopyOnWriteArrayList<>();

    private final Object serviceListLock = new Object();

    private volatile Entry<List<String>> serviceList;

    private volatile boolean closed;

    /**
     * @param client the registry client
     * @param watchWait how long the registry may hold each blocking query
     * @param initialLoadTimeout how long the first read of a service waits for its first answer
     */
    public ServiceInstanceCache(RegistryClient client, Duration watchWait, Duration initialLoadTimeout) {
        this.client = client;
        this.watchWait = watchWait;
        this.initialLoadTimeout = initialLoadTimeout;
    }

    /** Adds a listener told about every change after the first answer of each watch. */
    public void addListener(ChangeListener listener) {
        this.listeners.add(listener);
    }

    /** @return the instances of {@code service}; empty when it has none or the registry has not answered yet */
    public List<ServiceInstance> instances(String service) {
        Entry<List<ServiceInstance>> entry = this.services.computeIfAbsent(service, this::watchService);
        return entry.await(this.initialLoadTimeout);
    }

    /** @return names of the registered services; empty when the registry has not answered yet */
    public List<String> services() {
        Entry<List<String>> entry = this.serviceList;
        if (entry == null) {
            synchronized (this.serviceListLock) {
                entry = this.serviceList;
                if (entry == null) {
                    entry = watchServiceList();
                    this.serviceList = entry;
                }
            }
        }
        return entry.await(this.initialLoadTimeout);
    }

    /** @return whether the instances of {@code service} are watched and have been loaded */
    public boolean isLoaded(String service) {
        Entry<?> entry = this.services.get(service);
        return entry != null && entry.loaded.getCount() == 0;
    }

    private Entry<List<ServiceInstance>> watchService(String service) {
        requireOpen();
        Entry<List<ServiceInstance>> entry = new Entry<>(List.of());
        entry.watch = RegistryWatch.start("instances:" + service, options -> {
            Indexed<List<InstanceView>> answer = this.client.instances(service,
                    options);
            List<ServiceInstance> instances = answer.value()
                .stream()
                .<ServiceInstance>map(FlotillaServiceInstance::new)
                .toList();
            return new Indexed<>(instances, answer.index());
        }, this.watchWait, answer -> entry.update(answer, () -> notifyListeners(service, answer.index())));
        return entry;
    }

    private Entry<List<String>> watchServiceList() {
        requireOpen();
        Entry<List<String>> entry = new Entry<>(List.of());
        entry.watch = RegistryWatch.start("services", this.client::services, this.watchWait,
                answer -> entry.update(answer, () -> notifyListeners(null, answer.index())));
        return entry;
    }

    private void requireOpen() {
        if (this.closed) {
            throw new IllegalStateException("The registry cache is closed");
        }
    }

    private void notifyListeners(String service, long index) {
        for (ChangeListener listener : this.listeners) {
            try {
                listener.changed(service, index);
            }
            catch (RuntimeException ex) {
                LOGGER.log(System.Logger.Level.WARNING, "Registry change listener failed", ex);
            }
        }
    }

    /** Stops every watch. */
    @Override
    public void close() {
        this.closed = true;
        this.services.values().forEach(Entry::close);
        Entry<List<String>> list = this.serviceList;
        if (list != null) {
            list.close();
        }
    }

    /** One watched answer: the latest value and a latch opened by the first one. */
    private static final class Entry<T> {

        private final CountDownLatch loaded = new CountDownLatch(1);

        private volatile T value;

        private volatile RegistryWatch<?> watch;

        Entry(T initial) {
            this.value = initial;
        }

        /** Stores a new answer; tells the listeners unless it is the first one (nobody saw an older one). */
        void update(Indexed<T> answer, Runnable notify) {
            this.value = answer.value();
            if (this.loaded.getCount() == 0) {
                notify.run();
            }
            else {
                this.loaded.countDown();
            }
        }

        void close() {
            RegistryWatch<?> running = this.watch;
            if (running != null) {
                running.close();
            }
        }

        T await(Duration timeout) {
            if (this.loaded.getCount() > 0) {
                try {
                    if (!this.loaded.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                        LOGGER.log(System.Logger.Level.WARNING,
                                "The registry did not answer within {0}; serving an empty answer until it does",
                                timeout);
                    }
                }
                catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
            }
            return this.value;
        }
    }
}
