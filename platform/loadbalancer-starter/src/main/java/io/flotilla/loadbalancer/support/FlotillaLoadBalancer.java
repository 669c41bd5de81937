package io.flotilla.loadbalancer.support;

import java.util.ArrayList;
import java.util.List;

import io.flotilla.loadbalancer.core.Candidates;
import io.flotilla.loadbalancer.core.InFlightCounters;
import io.flotilla.loadbalancer.core.InstanceMetadata;
import io.flotilla.loadbalancer.core.LoadBalancingAlgorithm;
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
 * reads weights from {@code weight} metadata, and lets the algorithm choose.
 * <p>
 * The eligible {@link Candidates} are cached by the identity of the supplier's list, and reused when a new
 * list has the same instances and weights (discovery refreshes return new list objects), so the
 * algorithm's state (smooth round-robin position, hash ring) survives refreshes and selection does not
 * allocate beyond the {@link Response}.
 */
public class FlotillaLoadBalancer implements ReactorServiceInstanceLoadBalancer {

    private final ObjectProvider<ServiceInstanceListSupplier> suppliers;
    private final LoadBalancingAlgorithm algorithm;
    private final RequestKeys requestKeys;
    private final InFlightCounters inFlight;
    private final InstanceMetadata metadata;
    private volatile Prepared prepared;

    /**
     * Load balancer for one service.
     * @param suppliers instance list supplier of the service
     * @param algorithm algorithm choosing among eligible instances
     * @param requestKeys hashing key source, or {@code null} when the algorithm does not hash
     * @param inFlight in-flight counters maintained by the request lifecycle
     * @param metadata weight and status reader
     */
    public FlotillaLoadBalancer(ObjectProvider<ServiceInstanceListSupplier> suppliers,
            LoadBalancingAlgorithm algorithm, RequestKeys requestKeys, InFlightCounters inFlight,
            InstanceMetadata metadata) {
        this.suppliers = suppliers;
        this.algorithm = algorithm;
        this.requestKeys = requestKeys;
        this.inFlight = inFlight;
        this.metadata = metadata;
    }

    /** Algorithm this load balancer delegates to. */
    public LoadBalancingAlgorithm algorithm() {
        return algorithm;
    }

    @Override
    public Mono<Response<ServiceInstance>> choose(Request request) {
        ServiceInstanceListSupplier supplier = suppliers.getIfAvailable(NoopServiceInstanceListSupplier::new);
        return supplier.get(request).next().map(instances -> {
            Response<ServiceInstance> response = choose(instances, request);
            if (response.hasServer() && supplier instanceof SelectedInstanceCallback callback) {
                callback.selectedServiceInstance(response.getServer());
            }
            return response;
        });
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
        if (current != null && current.source == instances) {
            return current;
        }
        List<ServiceInstance> eligible = new ArrayList<>(instances.size());
        List<String> keys = new ArrayList<>(instances.size());
        for (ServiceInstance instance : instances) {
            if (InstanceMetadata.isEligible(instance.getMetadata())) {
                eligible.add(instance);
                keys.add(InstanceKeys.of(instance));
            }
        }
        int[] weights = new int[eligible.size()];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = metadata.weight(keys.get(i), eligible.get(i).getMetadata());
        }
        Candidates candidates = Candidates.of(keys, weights, inFlight);
        if (current != null && current.candidates.sameAs(candidates)) {
            candidates = current.candidates;
        }
        Prepared next = new Prepared(instances, eligible.toArray(ServiceInstance[]::new), candidates);
        prepared = next;
        return next;
    }

    private record Prepared(List<ServiceInstance> source, ServiceInstance[] eligible, Candidates candidates) {
    }
}
