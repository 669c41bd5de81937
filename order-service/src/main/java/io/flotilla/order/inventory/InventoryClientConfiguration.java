package io.flotilla.order.inventory;

import com.github.benmanes.caffeine.cache.Ticker;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.service.registry.ImportHttpServices;

/**
 * Registers {@link InventoryClient} in the {@code inventory-service} group, and the {@link ProductCatalog} in front of
 * its product reads. Timeouts come from {@code spring.http.serviceclient.inventory-service.*}; the service id doubles
 * as the load-balanced host.
 */
@Configuration(proxyBeanMethods = false)
@ImportHttpServices(group = "inventory-service", types = InventoryClient.class)
class InventoryClientConfiguration {

    @Bean
    ProductCatalog productCatalog(InventoryClient inventory, CatalogProperties properties) {
        return new ProductCatalog(inventory, properties.timeToLive(), properties.maximumSize(), Ticker.systemTicker());
    }
}
