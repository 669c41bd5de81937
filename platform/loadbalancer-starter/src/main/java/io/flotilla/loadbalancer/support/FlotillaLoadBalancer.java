package io.flotilla.loadbalancer.support;

import java.util.ArrayList;
import java.util.List;

import io.flotilla.loadbalancer.core.Candidates;
import io.flotilla.loadbalancer.core.InFlightCounters;
import io.flotilla.loadbalancer.core.InstanceMetadata;
import io.flotilla.loadbalancer.core.LoadBalancingAlgorithm;
import io.flotilla.loadbalancer.core.OutlierDetector;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.loadbalancer.DefaultResponse;
import org.springframework.cloud.client.loadbalancer.EmptyResponse;
import org.springframework.cloud.client.loadbalancer.Request;
import org.springframework.cloud.client.loadbalancer.Response;
import org.springframework.cloud.loadbalancer.core.NoopServiceInstanceListSupplier;
import org.springframework.cloud.loadbalancer.core.ReactorServiceInstanceLoadBalancer;
import org.springframework.cloud.loadbalancer.core.SelectedInstanceCallback;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;

/**
 * Spring Cloud LoadBalancer adapter around a {@link LoadBalancingAlgorithm}: takes the instance list from
 * the {@link ServiceInstanceListSupplier}, drops instances whose {@code status} metadata is not {@code UP},
 * drops instances the {@link OutlierDetector} has ejected (unless that would leave none: then a failing
 * instance is better than no answer), reads weights from {@code weight} metadata, and lets the algorithm
 * choose.
 * <p>
 * The eligible {@link Candidates} are cached by the identity of the supplier's list (or of its elements),
 * reused when a new list has the same instances and weights (discovery refreshes return new list
 * objects), and rebuilt when an instance is ejected or its ejection ends, so the algorithm's state (smooth
 * round-robin position, hash ring) survives refreshes and selection does not allocate beyond the
 * {@link Response}.
 */
public class FlotillaLoadBalancer implements ReactorServiceInstanceLoadBalancer {

    private final ObjectProvider<ServiceInstanceListSupplier> suppliers;
    private final LoadBalancingAlgorithm algorithm;
    private final RequestKeys requestKeys;
    private final InFlightCounters inFlight;
    private final InstanceMetadata metadata;
    private final OutlierDetector outliers;
    private volatile ServiceInstanceListSupplier supplier;
    private volatile Prepared prepared;

    /**
     * Load balancer for one service.
     * @param suppliers instance list supplier of the service
     * @param algorithm algorithm choosing among eligible instances
     * @param requestKeys hashing key source, or {@code null} when the algorithm does not hash
     * @param inFlight in-flight counters maintained by the request lifecycle
     * @param metadata weight and status reader
     * @param outliers passive health of the instances, fed by the request lifecycle
     */
    public FlotillaLoadBalancer(ObjectProvider<ServiceInstanceListSupplier> suppliers,
            LoadBalancingAlgorithm algorithm, RequestKeys requestKeys, InFlightCounters inFlight,
            InstanceMetadata metadata, OutlierDetector outliers) {
        this.suppliers = suppliers;
        this.algorithm = algorithm;
        this.requestKeys = requestKeys;
        this.inFlight = inFlight;
        this.metadata = metadata;
        this.outliers = outliers;
    }

    /** Algorithm this load balancer delegates to. */
    public LoadBalancingAlgorithm algorithm() {
        return algorithm;
    }

    @Override
    public Mono<Response<ServiceInstance>> choose(Request request) {
        ServiceInstanceListSupplier supplier = supplier();
        return supplier.get(request).next().map(instances -> {
            Response<ServiceInstance> response = choose(instances, request);
            if (response.hasServer() && supplier instanceof SelectedInstanceCallback callback) {
                callback.selectedServiceInstance(response.getServer());
            }
            return response;
        });
    }

    /**
     * The service's supplier, resolved once: an {@code ObjectProvider} lookup runs Spring's whole dependency
     * resolution, and per request it showed up in the gateway's CPU profile. Until a supplier exists (it is a
     * singleton of the service's load-balancer context) nothing is cached.
     */
    private ServiceInstanceListSupplier supplier() {
        ServiceInstanceListSupplier resolved = supplier;
        if (resolved == null) {
            resolved = suppliers.getIfAvailable();
            if (resolved == null) {
                return new NoopServiceInstanceListSupplier();
            }
            supplier = resolved;
        }
        return resolved;
    }

    /** Chooses among {@code instances} for {@code request} without going through the supplier. */
    public Response<ServiceInstance> choose(List<ServiceInstance> instances, Request<?> request) {
        Prepared current = prepare(instances);
        String key = requestKeys == null ? null : requestKeys.keyOf(request);
        int index = algorithm.select(current.candidates, key);
        return index < 0 ? new EmptyResponse() : new DefaultResponse(current.eligible[index]);
    }

    private Prepared prepare(List<ServiceInstance> instances) {
        Prepared current = prepared;
        long outlierVersion = outliers.version();
        if (current != null && sameInstances(current.source, instances) && current.outlierVersion == outlierVersion
                && (!current.hasEjected || outliers.now() - current.ejectionEndsAt < 0)) {
            return current;
        }
        List<ServiceInstance> eligible = new ArrayList<>(instances.size());
        List<String> keys = new ArrayList<>(instances.size());
        List<ServiceInstance> ejected = new ArrayList<>();
        List<String> ejectedKeys = new ArrayList<>();
        boolean hasEjected = false;
        long ejectionEndsAt = Long.MAX_VALUE;
        for (ServiceInstance instance : instances) {
            if (InstanceMetadata.isEligible(instance.getMetadata())) {
                String key = InstanceKeys.of(instance);
                long ejectedUntil = outliers.ejectedUntil(key);
                if (ejectedUntil == Long.MIN_VALUE) {
                    eligible.add(instance);
                    keys.add(key);
                }
                else {
                    ejected.add(instance);
                    ejectedKeys.add(key);
                    ejectionEndsAt = hasEjected ? earlier(ejectionEndsAt, ejectedUntil) : ejectedUntil;
                    hasEjected = true;
                }
            }
        }
        if (eligible.isEmpty()) {
            // every instance is ejected: sending to failing instances beats failing every request outright
            eligible = ejected;
            keys = ejectedKeys;
        }
        int[] weights = new int[eligible.size()];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = metadata.weight(keys.get(i), eligible.get(i).getMetadata());
        }
        Candidates candidates = Candidates.of(keys, weights, inFlight);
        if (current != null && current.candidates.sameAs(candidates)) {
            candidates = current.candidates;
        }
        Prepared next = new Prepared(instances, eligible.toArray(ServiceInstance[]::new), candidates, outlierVersion,
                hasEjected, ejectionEndsAt);
        prepared = next;
        return next;
    }

    /**
     * Same list, or a new list of the very same instance objects: discovery clients without a cache in front
     * (the registry starter keeps its own watched cache) hand out a fresh list per request.
     */
    private static boolean sameInstances(List<ServiceInstance> previous, List<ServiceInstance> instances) {
        if (previous == instances) {
            return true;
        }
        int size = previous.size();
        if (size != instances.size()) {
            return false;
        }
        for (int i = 0; i < size; i++) {
            if (previous.get(i) != instances.get(i)) {
                return false;
            }
        }
        return true;
    }

    private static long earlier(long a, long b) {
        return a - b < 0 ? a : b;
    }

    private record Prepared(List<ServiceInstance> source, ServiceInstance[] eligible, Candidates candidates,
            long outlierVersion, boolean hasEjected, long ejectionEndsAt) {
    }
}
