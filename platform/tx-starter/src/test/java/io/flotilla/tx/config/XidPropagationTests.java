package io.flotilla.tx.config;

import com.sun.net.httpserver.HttpServer;
import io.flotilla.tx.api.TransactionMode;
import io.flotilla.tx.core.XidContext;
import io.flotilla.tx.web.XidPropagatingInterceptor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.restclient.RestTemplateBuilder;
import org.springframework.boot.restclient.autoconfigure.RestClientAutoConfiguration;
import org.springframework.boot.restclient.autoconfigure.RestTemplateAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestTemplate;
import org.springframework.web.client.support.RestClientAdapter;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.service.annotation.GetExchange;
import org.springframework.web.service.invoker.HttpServiceProxyFactory;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The xid reaches the server through every kind of client a Spring application builds: Spring Boot's builders and
 * the application's own builder beans, an HTTP interface client on one, a RestTemplate bean and a WebClient; and
 * a request outside a global transaction carries none.
 */
class XidPropagationTests {

    private final List<String> received = new CopyOnWriteArrayList<>();
    private HttpServer server;
    private String baseUrl;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(TxAutoConfiguration.class, TxWebAutoConfiguration.class,
                RestClientAutoConfiguration.class, RestTemplateAutoConfiguration.class))
        .withUserConfiguration(OwnClients.class)
        .withPropertyValues("flotilla.tx.coordinator.addresses=http://127.0.0.1:1");

    @BeforeEach
    void startServer() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/whoami", exchange -> {
            String xid = exchange.getRequestHeaders().getFirst(XidContext.XID_HEADER);
            received.add(xid + "/" + exchange.getRequestHeaders().getFirst(XidContext.MODE_HEADER));
            byte[] body = "ok".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/plain");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        baseUrl = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    @Test
    void springBootsBuildersAndTheApplicationsClientBeansCarryTheXid() {
        runner.run(context -> {
            RestClient.Builder bootBuilder = context.getBean(RestClient.Builder.class);
            RestTemplateBuilder restTemplateBuilder = context.getBean(RestTemplateBuilder.class);
            RestTemplate ownTemplate = context.getBean("ownRestTemplate", RestTemplate.class);
            WebClient.Builder webClientBuilder = context.getBean(WebClient.Builder.class);

            try (XidContext.Scope ignored = XidContext.bind("xid-propagated", TransactionMode.TCC)) {
                bootBuilder.build().get().uri(baseUrl + "/whoami").retrieve().body(String.class);
                restTemplateBuilder.build().getForObject(baseUrl + "/whoami", String.class);
                ownTemplate.getForObject(baseUrl + "/whoami", String.class);
                webClientBuilder.build().get().uri(baseUrl + "/whoami").retrieve().bodyToMono(String.class)
                    .block(Duration.ofSeconds(30));
            }
            assertThat(received).hasSize(4).containsOnly("xid-propagated/TCC");

            received.clear();
            bootBuilder.build().get().uri(baseUrl + "/whoami").retrieve().body(String.class);
            webClientBuilder.build().get().uri(baseUrl + "/whoami").retrieve().bodyToMono(String.class)
                .block(Duration.ofSeconds(30));
            assertThat(received).containsExactly("null/null", "null/null");
        });
    }

    @Test
    void theApplicationsOwnBuilderBeanAndItsHttpInterfaceClientsCarryTheXid() {
        runner.withUserConfiguration(OwnRestClientBuilder.class).run(context -> {
            RestClient.Builder ownBuilder = context.getBean("ownRestClientBuilder", RestClient.Builder.class);
            WhoAmI httpInterface = HttpServiceProxyFactory
                .builderFor(RestClientAdapter.create(ownBuilder.baseUrl(baseUrl).build()))
                .build()
                .createClient(WhoAmI.class);
            try (XidContext.Scope ignored = XidContext.bind("xid-own", TransactionMode.XA)) {
                ownBuilder.build().get().uri(baseUrl + "/whoami").retrieve().body(String.class);
                httpInterface.whoami();
            }
            assertThat(received).containsExactly("xid-own/XA", "xid-own/XA");
        });
    }

    @Test
    void aBuilderIsGivenTheInterceptorOnce() {
        runner.run(context -> context.getBean(RestClient.Builder.class).requestInterceptors(interceptors ->
                assertThat(interceptors).filteredOn(XidPropagatingInterceptor.class::isInstance).hasSize(1)));
    }

    interface WhoAmI {

        @GetExchange("/whoami")
        String whoami();
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnRestClientBuilder {

        /** As a user writes it (usually with @LoadBalanced): a builder no Spring Boot customizer reaches. */
        @Bean
        RestClient.Builder ownRestClientBuilder() {
            return RestClient.builder();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnClients {

        @Bean
        RestTemplate ownRestTemplate() {
            return new RestTemplate();
        }

        @Bean
        WebClient.Builder webClientBuilder() {
            return WebClient.builder();
        }
    }
}
