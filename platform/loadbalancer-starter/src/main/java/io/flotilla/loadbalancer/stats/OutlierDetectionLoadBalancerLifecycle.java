package io.flotilla.loadbalancer.stats;

import io.flotilla.loadbalancer.core.OutlierDetector;
import io.flotilla.loadbalancer.support.InstanceKeys;

import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.loadbalancer.CompletionContext;
import org.springframework.cloud.client.loadbalancer.LoadBalancerLifecycle;
import org.springframework.cloud.client.loadbalancer.Request;
import org.springframework.cloud.client.loadbalancer.Response;
import org.springframework.cloud.client.loadbalancer.ResponseData;
import org.springframework.http.HttpStatusCode;

/**
 * Feeds the {@link OutlierDetector} from every load-balanced request's outcome: a request that failed
 * (no connection, reset, timeout) or got a 5xx answer is a failure of the chosen instance, any other answer
 * a success. Discarded requests (no instance chosen) say nothing about an instance.
 */
public class OutlierDetectionLoadBalancerLifecycle implements LoadBalancerLifecycle<Object, Object, ServiceInstance> {

    private final OutlierDetector outliers;

    /** Lifecycle reporting to {@code outliers}. */
    public OutlierDetectionLoadBalancerLifecycle(OutlierDetector outliers) {
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
    }

    @Override
    public void onComplete(CompletionContext<Object, ServiceInstance, Object> completionContext) {
        Response<ServiceInstance> lbResponse = completionContext.getLoadBalancerResponse();
        if (completionContext.status() == CompletionContext.Status.DISCARD || lbResponse == null || !lbResponse.hasServer()) {
            return;
        }
        String key = InstanceKeys.of(lbResponse.getServer());
        if (completionContext.status() == CompletionContext.Status.FAILED || isServerError(completionContext.getClientResponse())) {
            outliers.failed(key);
        }
        else {
            outliers.succeeded(key);
        }
    }

    private static boolean isServerError(Object clientResponse) {
        if (clientResponse instanceof ResponseData data) {
            HttpStatusCode status = data.getHttpStatus();
            return status != null && status.is5xxServerError();
        }
        return false;
    }
}
