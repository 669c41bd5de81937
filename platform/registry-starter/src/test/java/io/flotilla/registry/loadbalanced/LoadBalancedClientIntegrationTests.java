package io.flotilla.registry.loadbalanced;

import io.flotilla.loadbalancer.support.FlotillaLoadBalancer;
import io.flotilla.registry.support.TestApps;
import io.flotilla.testsupport.process.TestRegistry;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.cloud.client.loadbalancer.LoadBalanced;
import org.springframework.cloud.loadbalancer.support.LoadBalancerClientFactory;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.support.RestClientAdapter;
import org.springframework.web.service.annotation.GetExchange;
import org.springframework.web.service.invoker.HttpServiceProxyFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The README's example, for real: with the registry starter alone (no other dependency), a
 * {@code @LoadBalanced RestClient.Builder} of one application calls {@code http://wallet/...}, a second Spring
 * Boot application registered in a real registry, through Flotilla's discovery and load balancer; so does an
 * HTTP interface client built on it. Two wallet instances both get calls.
 */
class LoadBalancedClientIntegrationTests {

    @Test
    void loadBalancedRestClientBuilderCallsAnotherRegisteredApplicationByName() {
        List<String> registry = List.of(TestRegistry.shared().address().toString());
        try (ConfigurableApplicationContext wallet1 = TestApps.run(WalletApp.class, WebApplicationType.SERVLET,
                "wallet", registry);
                ConfigurableApplicationContext wallet2 = TestApps.run(WalletApp.class, WebApplicationType.SERVLET,
                        "wallet", registry);
                ConfigurableApplicationContext payments = TestApps.run(PaymentsApp.class, WebApplicationType.NONE,
                        "payments", registry)) {
            Set<String> expected = Set.of(port(wallet1), port(wallet2));
            assertThat(payments.getBean(LoadBalancerClientFactory.class).getInstance("wallet"))
                .as("Flotilla's load balancer, not Spring Cloud's round robin").isInstanceOf(FlotillaLoadBalancer.class);
            RestClient wallet = payments.getBean(RestClient.Builder.class).baseUrl("http://wallet").build();
            Wallet client = HttpServiceProxyFactory.builderFor(RestClientAdapter.create(wallet)).build()
                .createClient(Wallet.class);

            Set<String> answered = new HashSet<>();
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                answered.add(wallet.get().uri("/whoami").retrieve().body(String.class));
                answered.add(client.whoami());
                assertThat(answered).isEqualTo(expected);
            });
        }
    }

    private static String port(ConfigurableApplicationContext context) {
        return context.getEnvironment().getProperty("local.server.port");
    }

    interface Wallet {

        @GetExchange("/whoami")
        String whoami();
    }

    /** The caller, as the registry starter's README shows it. */
    @SpringBootConfiguration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class PaymentsApp {

        @Bean
        @LoadBalanced
        RestClient.Builder loadBalancedRestClientBuilder() {
            return RestClient.builder();
        }
    }

    /** The callee: answers with its own port, so the test sees which instance served a call. */
    @SpringBootConfiguration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class WalletApp {

        @Bean
        WhoAmI whoAmI(Environment environment) {
            return new WhoAmI(environment);
        }
    }

    @RestController
    static class WhoAmI {

        private final Environment environment;

        WhoAmI(Environment environment) {
            this.environment = environment;
        }

        @GetMapping("/whoami")
        String whoami() {
            return environment.getProperty("local.server.port");
        }
    }
}
