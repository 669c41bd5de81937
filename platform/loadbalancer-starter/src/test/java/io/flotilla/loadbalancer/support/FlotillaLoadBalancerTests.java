package io.flotilla.loadbalancer.support;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import io.flotilla.loadbalancer.core.Algorithm;
import io.flotilla.loadbalancer.core.Algorithms;
import io.flotilla.loadbalancer.core.InFlightCounters;
import io.flotilla.loadbalancer.core.InstanceMetadata;
import io.flotilla.loadbalancer.core.OutlierDetector;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.cloud.client.DefaultServiceInstance;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.loadbalancer.DefaultRequest;
import org.springframework.cloud.client.loadbalancer.Request;
import org.springframework.cloud.client.loadbalancer.RequestData;
import org.springframework.cloud.client.loadbalancer.RequestDataContext;
import org.springframework.cloud.client.loadbalancer.Response;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.util.LinkedMultiValueMap;

import static org.assertj.core.api.Assertions.assertThat;

class FlotillaLoadBalancerTests {

    private final InFlightCounters inFlight = new InFlightCounters();

    private final InstanceMetadata metadata = new InstanceMetadata();

    private final AtomicLong nanos = new AtomicLong(-5_000_000_000L);

    private final OutlierDetector outliers = new OutlierDetector(3, Duration.ofSeconds(10), nanos::get);

    @Test
    void ejectedInstanceGetsNoTrafficUntilItsEjectionEndsWithEveryAlgorithm() {
        List<ServiceInstance> instances = List.of(instance(1, Map.of()), instance(2, Map.of()), instance(3, Map.of()));
        for (Algorithm algorithm : Algorithm.values()) {
            outliers.clear();
            FlotillaLoadBalancer loadBalancer = loadBalancer(algorithm, List.of());
            assertThat(chosenPorts(loadBalancer, instances)).as(algorithm.name()).contains(9002);
            for (int i = 0; i < 3; i++) {
                outliers.failed("order-service/127.0.0.1:9002");
            }
            assertThat(chosenPorts(loadBalancer, instances)).as(algorithm.name()).containsOnly(9001, 9003);

            nanos.addAndGet(Duration.ofSeconds(10).toNanos());
            assertThat(chosenPorts(loadBalancer, instances)).as(algorithm.name() + " after the ejection").contains(9002);
        }
    }

    @Test
    void whenEveryInstanceIsEjectedTheyAreAllStillChosen() {
        List<ServiceInstance> instances = List.of(instance(1, Map.of()), instance(2, Map.of()));
        FlotillaLoadBalancer loadBalancer = loadBalancer(Algorithm.ROUND_ROBIN, List.of());
        for (int i = 0; i < 3; i++) {
            outliers.failed("order-service/127.0.0.1:9001");
            outliers.failed("order-service/127.0.0.1:9002");
        }
        assertThat(chosenPorts(loadBalancer, instances)).containsOnly(9001, 9002);
    }

    private static Set<Integer> chosenPorts(FlotillaLoadBalancer loadBalancer, List<ServiceInstance> instances) {
        Set<Integer> chosen = new HashSet<>();
        for (int i = 0; i < 600; i++) {
            chosen.add(loadBalancer.choose(instances, request("10.9." + i % 200 + ".1", "user-" + i)).getServer().getPort());
        }
        return chosen;
    }

    @Test
    void unhealthyAndDrainingInstancesAreNeverChosenByAnyAlgorithm() {
        List<ServiceInstance> instances = List.of(instance(1, Map.of("status", "UP")),
                instance(2, Map.of("status", "DOWN")), instance(3, Map.of("status", "DRAINING")),
                instance(4, Map.of()), instance(5, Map.of("status", "OUT_OF_SERVICE")),
                instance(6, Map.of("status", "UP", "weight", "3")));
        for (Algorithm algorithm : Algorithm.values()) {
            FlotillaLoadBalancer loadBalancer = loadBalancer(algorithm, List.of());
            Set<Integer> chosen = new HashSet<>();
            for (int i = 0; i < 3_000; i++) {
                Response<ServiceInstance> response = loadBalancer.choose(instances, request("10.9." + i % 200 + ".1", null));
                chosen.add(response.getServer().getPort());
            }
            assertThat(chosen).as(algorithm.name()).isSubsetOf(9001, 9004, 9006).isNotEmpty();
            assertThat(chosen).as(algorithm.name()).doesNotContain(9002, 9003, 9005);
        }
    }

    @Test
    void noEligibleInstanceGivesAnEmptyResponse() {
        List<ServiceInstance> instances = List.of(instance(1, Map.of("status", "DOWN")),
                instance(2, Map.of("status", "DRAINING")));
        for (Algorithm algorithm : Algorithm.values()) {
            assertThat(loadBalancer(algorithm, List.of()).choose(instances, request(null, null)).hasServer())
                .as(algorithm.name()).isFalse();
        }
    }

    @Test
    void invalidWeightsCountAsOne() {
        List<ServiceInstance> instances = List.of(instance(1, Map.of("weight", "3")),
                instance(2, Map.of("weight", "plenty")), instance(3, Map.of("weight", "-2")));
        FlotillaLoadBalancer loadBalancer = loadBalancer(Algorithm.WEIGHTED_ROUND_ROBIN, List.of());
        Map<Integer, Integer> counts = new HashMap<>();
        for (int i = 0; i < 500; i++) {
            counts.merge(loadBalancer.choose(instances, request(null, null)).getServer().getPort(), 1, Integer::sum);
        }
        assertThat(counts).containsEntry(9001, 300).containsEntry(9002, 100).containsEntry(9003, 100);
        assertThat(metadata.warningsLogged()).isEqualTo(2);
    }

    @Test
    void algorithmStateSurvivesARefreshedListWithTheSameInstances() {
        FlotillaLoadBalancer loadBalancer = loadBalancer(Algorithm.WEIGHTED_ROUND_ROBIN, List.of());
        List<Integer> ports = new ArrayList<>();
        for (int refresh = 0; refresh < 6; refresh++) {
            List<ServiceInstance> fresh = List.of(instance(0, Map.of("weight", "1")),
                    instance(1, Map.of("weight", "2")), instance(2, Map.of("weight", "3")));
            ports.add(loadBalancer.choose(fresh, request(null, null)).getServer().getPort());
        }
        assertThat(ports).containsExactly(9002, 9001, 9000, 9002, 9001, 9002);
    }

    @Test
    void chooseReadsTheSuppliersInstances() {
        List<ServiceInstance> instances = List.of(instance(1, Map.of()), instance(2, Map.of()));
        FlotillaLoadBalancer loadBalancer = loadBalancer(Algorithm.ROUND_ROBIN, instances);
        Set<Integer> ports = new HashSet<>();
        for (int i = 0; i < 4; i++) {
            ports.add(loadBalancer.choose(request(null, null)).block().getServer().getPort());
        }
        assertThat(ports).containsExactlyInAnyOrder(9001, 9002);
    }

    @Test
    void consistentHashKeepsAHeaderKeyOnOneInstanceWhateverTheClientAddress() {
        List<ServiceInstance> instances = new ArrayList<>();
        for (int n = 1; n <= 5; n++) {
            instances.add(instance(n, Map.of()));
        }
        FlotillaLoadBalancer loadBalancer = loadBalancer(Algorithm.CONSISTENT_HASH, List.of());
        Set<Integer> perUser = new HashSet<>();
        Set<Integer> acrossUsers = new HashSet<>();
        for (int i = 0; i < 500; i++) {
            perUser.add(loadBalancer.choose(instances, request("10.1.1." + i % 250, "alice")).getServer().getPort());
            acrossUsers.add(loadBalancer.choose(instances, request("10.1.1.1", "user-" + i)).getServer().getPort());
        }
        assertThat(perUser).hasSize(1);
        assertThat(acrossUsers).hasSize(5);
    }

    private FlotillaLoadBalancer loadBalancer(Algorithm algorithm, List<ServiceInstance> supplied) {
        StaticListableBeanFactory beans = new StaticListableBeanFactory();
        beans.addBean("supplier", new FixedSupplier(supplied));
        return new FlotillaLoadBalancer(beans.getBeanProvider(ServiceInstanceListSupplier.class),
                Algorithms.create(algorithm, 160), new RequestKeys("X-User", null), inFlight, metadata, outliers);
    }

    static ServiceInstance instance(int n, Map<String, String> metadata) {
        return new DefaultServiceInstance("i" + n, "order-service", "127.0.0.1", 9000 + n, false, metadata);
    }

    static Request<RequestDataContext> request(String forwardedFor, String user) {
        HttpHeaders headers = new HttpHeaders();
        if (forwardedFor != null) {
            headers.add("X-Forwarded-For", forwardedFor + ", 10.0.0.1");
        }
        if (user != null) {
            headers.add("X-User", user);
        }
        RequestData data = new RequestData(HttpMethod.GET, java.net.URI.create("http://order-service/api/orders"),
                headers, new LinkedMultiValueMap<>(), new HashMap<>());
        return new DefaultRequest<>(new RequestDataContext(data));
    }

    private record FixedSupplier(List<ServiceInstance> instances) implements ServiceInstanceListSupplier {

        @Override
        public String getServiceId() {
            return "order-service";
        }

        @Override
        public Flux<List<ServiceInstance>> get() {
            return Flux.just(instances);
        }
    }
}
