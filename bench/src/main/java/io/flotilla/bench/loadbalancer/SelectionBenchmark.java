package io.flotilla.bench.loadbalancer;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.flotilla.loadbalancer.core.Algorithm;
import io.flotilla.loadbalancer.core.Algorithms;
import io.flotilla.loadbalancer.core.InFlightCounters;
import io.flotilla.loadbalancer.core.InstanceMetadata;
import io.flotilla.loadbalancer.core.OutlierDetector;
import io.flotilla.loadbalancer.support.FlotillaLoadBalancer;
import io.flotilla.loadbalancer.support.RequestKeys;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import reactor.core.publisher.Flux;

import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.cloud.client.DefaultServiceInstance;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.loadbalancer.DefaultRequest;
import org.springframework.cloud.client.loadbalancer.Request;
import org.springframework.cloud.client.loadbalancer.RequestData;
import org.springframework.cloud.client.loadbalancer.RequestDataContext;
import org.springframework.cloud.client.loadbalancer.Response;
import org.springframework.cloud.loadbalancer.core.ReactorServiceInstanceLoadBalancer;
import org.springframework.cloud.loadbalancer.core.RoundRobinLoadBalancer;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.util.LinkedMultiValueMap;

/**
 * Cost of one instance selection through the full Spring Cloud LoadBalancer path ({@code choose(request)}
 * on a fixed instance list supplier, blocking on the Mono), for each Flotilla algorithm and for Spring
 * Cloud's own {@link RoundRobinLoadBalancer} ({@code algorithm = spring-round-robin}) in the same run.
 * Instances carry weights 1..5 and in-flight counts that the selections themselves do not change.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SelectionBenchmark {

    /** Spring Cloud's round robin, the baseline. */
    public static final String SPRING_ROUND_ROBIN = "spring-round-robin";

    @Param({ SPRING_ROUND_ROBIN, "round-robin", "weighted-round-robin", "random", "weighted-random",
            "least-connections", "weighted-least-connections", "ip-hash", "consistent-hash", "p2c" })
    public String algorithm;

    @Param({ "3", "30", "300" })
    public int instances;

    private ReactorServiceInstanceLoadBalancer loadBalancer;

    private Request<RequestDataContext> request;

    @Setup
    public void setUp() {
        List<ServiceInstance> list = new ArrayList<>();
        InFlightCounters inFlight = new InFlightCounters();
        for (int i = 0; i < instances; i++) {
            DefaultServiceInstance instance = new DefaultServiceInstance("i" + i, "bench-service",
                    "10.0." + i / 250 + "." + (i % 250 + 1), 8080, false, Map.of("weight", Integer.toString(i % 5 + 1)));
            list.add(instance);
            for (int n = 0; n < i % 7; n++) {
                inFlight.started("bench-service/" + instance.getHost() + ":8080");
            }
        }
        StaticListableBeanFactory beans = new StaticListableBeanFactory();
        beans.addBean("supplier", new FixedSupplier(list));
        if (SPRING_ROUND_ROBIN.equals(algorithm)) {
            loadBalancer = new RoundRobinLoadBalancer(beans.getBeanProvider(ServiceInstanceListSupplier.class), "bench-service");
        }
        else {
            Algorithm chosen = Algorithm.valueOf(algorithm.toUpperCase().replace('-', '_'));
            loadBalancer = new FlotillaLoadBalancer(beans.getBeanProvider(ServiceInstanceListSupplier.class),
                    Algorithms.create(chosen, 160), chosen.usesKey() ? new RequestKeys(null, null) : null, inFlight,
                    new InstanceMetadata(), new OutlierDetector(5, Duration.ofSeconds(30), System::nanoTime));
        }
        HttpHeaders headers = new HttpHeaders();
        headers.add("X-Forwarded-For", "203.0.113.77");
        request = new DefaultRequest<>(new RequestDataContext(new RequestData(HttpMethod.GET,
                URI.create("http://bench-service/api"), headers, new LinkedMultiValueMap<>(), new HashMap<>())));
    }

    @Benchmark
    public ServiceInstance choose() {
        Response<ServiceInstance> response = reactor.core.publisher.Mono.from(loadBalancer.choose(request)).block();
        return response.getServer();
    }

    private record FixedSupplier(List<ServiceInstance> instances) implements ServiceInstanceListSupplier {

        @Override
        public String getServiceId() {
            return "bench-service";
        }

        @Override
        public Flux<List<ServiceInstance>> get() {
            return Flux.just(instances);
        }
    }
}
