package io.flotilla.examples.payments;

import org.springframework.cloud.client.loadbalancer.LoadBalanced;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.support.RestClientAdapter;
import org.springframework.web.service.invoker.HttpServiceProxyFactory;

@Configuration
class WalletClientConfiguration {

    @Bean
    @LoadBalanced
    RestClient.Builder loadBalancedRestClientBuilder() {
        return RestClient.builder();
    }

    @Bean
    WalletClient walletClient(@LoadBalanced RestClient.Builder builder) {
        RestClient wallet = builder.baseUrl("http://wallet").build();   // the name the wallet registered under
        return HttpServiceProxyFactory.builderFor(RestClientAdapter.create(wallet)).build().createClient(WalletClient.class);
    }
}
