package io.flotilla.loadbalancer.stats;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import io.flotilla.loadbalancer.core.InFlightCounters;
import io.flotilla.loadbalancer.core.OutlierDetector;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.cloud.client.DefaultServiceInstance;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.loadbalancer.CompletionContext;
import org.springframework.cloud.client.loadbalancer.DefaultRequest;
import org.springframework.cloud.client.loadbalancer.DefaultResponse;
import org.springframework.cloud.client.loadbalancer.EmptyResponse;
import org.springframework.cloud.client.loadbalancer.Request;
import org.springframework.cloud.client.loadbalancer.RequestData;
import org.springframework.cloud.client.loadbalancer.Response;
import org.springframework.cloud.client.loadbalancer.ResponseData;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;

import static org.assertj.core.api.Assertions.assertThat;

class LoadBalancerLifecycleTests {

    private final ServiceInstance instance = new DefaultServiceInstance("a", "order-service", "127.0.0.1", 9001,
            false, Map.of());

    private final Request<Object> request = new DefaultRequest<>();

    private final Response<ServiceInstance> response = new DefaultResponse(instance);

    @Test
    void countsRequestsInFlightUntilTheyComplete() {
        InFlightCounters counters = new InFlightCounters();
        InFlightLoadBalancerLifecycle lifecycle = new InFlightLoadBalancerLifecycle(counters);
        lifecycle.onStartRequest(request, response);
        lifecycle.onStartRequest(request, response);
        assertThat(counters.inFlight("order-service/127.0.0.1:9001")).isEqualTo(2);
        lifecycle.onComplete(new CompletionContext<>(CompletionContext.Status.SUCCESS, request, response));
        lifecycle.onComplete(new CompletionContext<>(CompletionContext.Status.FAILED, new IllegalStateException(),
                request, response));
        assertThat(counters.inFlight("order-service/127.0.0.1:9001")).isZero();
    }

    @Test
    void ignoresDiscardedAndServerlessResponses() {
        InFlightCounters counters = new InFlightCounters();
        InFlightLoadBalancerLifecycle lifecycle = new InFlightLoadBalancerLifecycle(counters);
        lifecycle.onStartRequest(request, new EmptyResponse());
        lifecycle.onStartRequest(request, response);
        lifecycle.onComplete(new CompletionContext<>(CompletionContext.Status.DISCARD, request, new EmptyResponse()));
        assertThat(counters.inFlight("order-service/127.0.0.1:9001")).isEqualTo(1);
    }

    @Test
    void countsRequestsPerChosenInstanceInMicrometer() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        InFlightCounters counters = new InFlightCounters();
        OutlierDetector outliers = new OutlierDetector(1, Duration.ofSeconds(30), new AtomicLong()::get);
        InstanceMetricsLoadBalancerLifecycle metrics = new InstanceMetricsLoadBalancerLifecycle(registry, counters, outliers);
        ServiceInstance other = new DefaultServiceInstance("b", "order-service", "127.0.0.1", 9002, false, Map.of());
        for (int i = 0; i < 3; i++) {
            metrics.onStartRequest(request, response);
        }
        metrics.onStartRequest(request, new DefaultResponse(other));
        counters.started("order-service/127.0.0.1:9001");
        assertThat(registry.get(InstanceMetricsLoadBalancerLifecycle.REQUESTS)
            .tags("service", "order-service", "instance", "127.0.0.1:9001").counter().count()).isEqualTo(3);
        assertThat(registry.get(InstanceMetricsLoadBalancerLifecycle.REQUESTS)
            .tags("service", "order-service", "instance", "127.0.0.1:9002").counter().count()).isEqualTo(1);
        assertThat(registry.get(InstanceMetricsLoadBalancerLifecycle.IN_FLIGHT)
            .tags("service", "order-service", "instance", "127.0.0.1:9001").gauge().value()).isEqualTo(1);
        assertThat(registry.get(InstanceMetricsLoadBalancerLifecycle.EJECTED)
            .tags("service", "order-service", "instance", "127.0.0.1:9002").gauge().value()).isZero();
        outliers.failed("order-service/127.0.0.1:9002");
        assertThat(registry.get(InstanceMetricsLoadBalancerLifecycle.EJECTED)
            .tags("service", "order-service", "instance", "127.0.0.1:9002").gauge().value()).isEqualTo(1);
    }

    @Test
    void failedRequestsAnd5xxAnswersCountAgainstTheInstanceOtherAnswersForIt() {
        OutlierDetector outliers = new OutlierDetector(2, Duration.ofSeconds(30), new AtomicLong()::get);
        OutlierDetectionLoadBalancerLifecycle lifecycle = new OutlierDetectionLoadBalancerLifecycle(outliers);
        String key = "order-service/127.0.0.1:9001";

        lifecycle.onComplete(new CompletionContext<>(CompletionContext.Status.FAILED, new java.net.ConnectException(),
                request, response));
        lifecycle.onComplete(answered(HttpStatus.NOT_FOUND));
        lifecycle.onComplete(answered(HttpStatus.SERVICE_UNAVAILABLE));
        assertThat(outliers.isEjected(key)).as("a 404 is the instance working").isFalse();

        lifecycle.onComplete(new CompletionContext<>(CompletionContext.Status.DISCARD, request, response));
        lifecycle.onComplete(answered(HttpStatus.INTERNAL_SERVER_ERROR));
        assertThat(outliers.isEjected(key)).isTrue();
    }

    private CompletionContext<Object, ServiceInstance, Object> answered(HttpStatus status) {
        ResponseData data = new ResponseData(status, new HttpHeaders(), null, (RequestData) null);
        return new CompletionContext<>(CompletionContext.Status.SUCCESS, request, response, data);
    }
}
