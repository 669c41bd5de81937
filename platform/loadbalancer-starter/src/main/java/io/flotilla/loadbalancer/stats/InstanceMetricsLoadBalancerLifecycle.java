package io.flotilla.loadbalancer.stats;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import io.flotilla.loadbalancer.core.InFlightCounters;
import io.flotilla.loadbalancer.core.OutlierDetector;
import io.flotilla.loadbalancer.support.InstanceKeys;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.loadbalancer.CompletionContext;
import org.springframework.cloud.client.loadbalancer.LoadBalancerLifecycle;
import org.springframework.cloud.client.loadbalancer.Request;
import org.springframework.cloud.client.loadbalancer.Response;

/**
 * Micrometer meters per chosen instance: counter {@value #REQUESTS} (tags {@code service}, {@code instance}
 * as host:port) incremented each time the load balancer hands a request to the instance, gauge
 * {@value #IN_FLIGHT} with its in-flight requests, and gauge {@value #EJECTED}, 1 while the
 * {@link OutlierDetector} keeps the instance out of rotation.
 */
public class InstanceMetricsLoadBalancerLifecycle implements LoadBalancerLifecycle<Object, Object, ServiceInstance> {

    /** Name of the per-instance request counter. */
    public static final String REQUESTS = "flotilla.loadbalancer.requests";

    /** Name of the per-instance in-flight gauge. */
    public static final String IN_FLIGHT = "flotilla.loadbalancer.in.flight";

    /** Name of the per-instance ejection gauge. */
    public static final String EJECTED = "flotilla.loadbalancer.ejected";

    private final MeterRegistry registry;
    private final InFlightCounters inFlight;
    private final OutlierDetector outliers;
    private final ConcurrentMap<String, Counter> counters = new ConcurrentHashMap<>();

    /** Lifecycle registering meters in {@code registry}, the gauges reading {@code inFlight} and {@code outliers}. */
    public InstanceMetricsLoadBalancerLifecycle(MeterRegistry registry, InFlightCounters inFlight, OutlierDetector outliers) {
        this.registry = registry;
        this.inFlight = inFlight;
        this.outliers = outliers;
    }

    @Override
    public boolean supports(Class requestContextClass, Class responseClass, Class serverTypeClass) {
        return ServiceInstance.class.isAssignableFrom(serverTypeClass);
    }

    @Override
    public void onStart(Request<Object> request) {
    }

    @Override
    public void onStartRequest(Request<Object> request, Response<ServiceInstance> lbResponse) {
        if (lbResponse == null || !lbResponse.hasServer()) {
            return;
        }
        ServiceInstance instance = lbResponse.getServer();
        String key = InstanceKeys.of(instance);
        Counter counter = counters.get(key);
        if (counter == null) {
            counter = counters.computeIfAbsent(key, k -> register(instance, k));
        }
        counter.increment();
    }

    private Counter register(ServiceInstance instance, String key) {
        String address = instance.getHost() + ':' + instance.getPort();
        Gauge.builder(IN_FLIGHT, inFlight.counter(key), Number::doubleValue)
            .description("Requests in flight to a load-balanced instance")
            .tag("service", instance.getServiceId())
            .tag("instance", address)
            .register(registry);
        Gauge.builder(EJECTED, outliers, detector -> detector.isEjected(key) ? 1 : 0)
            .description("1 while outlier detection keeps a load-balanced instance out of rotation, else 0")
            .tag("service", instance.getServiceId())
            .tag("instance", address)
            .register(registry);
        return Counter.builder(REQUESTS)
            .description("Requests the load balancer sent to an instance")
            .tag("service", instance.getServiceId())
            .tag("instance", address)
            .register(registry);
    }

    @Override
    public void onComplete(CompletionContext<Object, ServiceInstance, Object> completionContext) {
    }
}
