package io.flotilla.order.inventory;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.service.registry.ImportHttpServices;

/**
 * Registers {@link InventoryClient} in the {@code inventory-service} group. Timeouts come from
 * {@code spring.http.serviceclient.inventory-service.*}; the service id doubles as the load-balanced host.
 */
@Configuration(proxyBeanMethods = false)
@ImportHttpServices(group = "inventory-service", types = InventoryClient.class)
class InventoryClientConfiguration {
}
