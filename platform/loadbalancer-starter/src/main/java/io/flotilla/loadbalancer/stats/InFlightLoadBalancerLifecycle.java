package io.flotilla.loadbalancer.stats;

import io.flotilla.loadbalancer.core.InFlightCounters;
import io.flotilla.loadbalancer.support.InstanceKeys;

import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.loadbalancer.CompletionContext;
import org.springframework.cloud.client.loadbalancer.LoadBalancerLifecycle;
import org.springframework.cloud.client.loadbalancer.Request;
import org.springframework.cloud.client.loadbalancer.Response;

/**
 * Keeps {@link InFlightCounters} true for every load-balanced client (Gateway, {@code @LoadBalanced}
 * RestClient and WebClient, HTTP interface clients): a request counts from {@code onStartRequest} (an
 * instance was chosen and the call starts) to {@code onComplete}.
 */
public class InFlightLoadBalancerLifecycle implements LoadBalancerLifecycle<Object, Object, ServiceInstance> {

    private final InFlightCounters counters;

    /** Lifecycle counting into {@code counters}. */
    public InFlightLoadBalancerLifecycle(InFlightCounters counters) {
        this.counters = counters;
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
        if (lbResponse != null && lbResponse.hasServer()) {
            counters.started(InstanceKeys.of(lbResponse.getServer()));
        }
    }

    @Override
    public void onComplete(CompletionContext<Object, ServiceInstance, Object> completionContext) {
        if (completionContext.status() == CompletionContext.Status.DISCARD) {
            return;
        }
        Response<ServiceInstance> lbResponse = completionContext.getLoadBalancerResponse();
        if (lbResponse != null && lbResponse.hasServer()) {
            counters.finished(InstanceKeys.of(lbResponse.getServer()));
        }
    }
}
