package io.flotilla.order.inventory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import org.springframework.http.HttpStatus;
import org.springframework.web.client.HttpClientErrorException;
import org.springframework.web.client.ResourceAccessException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProductCatalogTests {

    private final AtomicLong nanos = new AtomicLong();

    private final Inventory inventory = new Inventory();

    private ProductCatalog catalog(Duration timeToLive) {
        return new ProductCatalog(inventory, timeToLive, 100, nanos::get);
    }

    @Test
    void aProductReadIsReusedUntilItsTimeToLiveEnds() {
        ProductCatalog catalog = catalog(Duration.ofSeconds(30));
        inventory.price = 250;
        assertThat(catalog.product("FLT-MUG").priceCents()).isEqualTo(250);
        inventory.price = 300;
        nanos.addAndGet(Duration.ofSeconds(29).toNanos());
        assertThat(catalog.product("FLT-MUG").priceCents()).isEqualTo(250);
        assertThat(inventory.reads).containsExactly("FLT-MUG");

        nanos.addAndGet(Duration.ofSeconds(2).toNanos());
        assertThat(catalog.product("FLT-MUG").priceCents()).isEqualTo(300);
        assertThat(inventory.reads).containsExactly("FLT-MUG", "FLT-MUG");
    }

    @Test
    void anUnknownSkuIsAskedAgainSoAProductAddedLaterIsFoundAtOnce() {
        ProductCatalog catalog = catalog(Duration.ofSeconds(30));
        inventory.missing = true;
        assertThatThrownBy(() -> catalog.product("FLT-NEW")).isInstanceOf(HttpClientErrorException.class);
        inventory.missing = false;
        assertThat(catalog.product("FLT-NEW").sku()).isEqualTo("FLT-NEW");
        assertThat(inventory.reads).containsExactly("FLT-NEW", "FLT-NEW");
    }

    @Test
    void anUnreachableInventoryIsNotRemembered() {
        ProductCatalog catalog = catalog(Duration.ofSeconds(30));
        inventory.unreachable = true;
        assertThatThrownBy(() -> catalog.product("FLT-MUG")).isInstanceOf(ResourceAccessException.class);
        inventory.unreachable = false;
        assertThat(catalog.product("FLT-MUG").sku()).isEqualTo("FLT-MUG");
    }

    @Test
    void aZeroTimeToLiveAsksInventoryEveryTime() {
        ProductCatalog catalog = catalog(Duration.ZERO);
        catalog.product("FLT-MUG");
        catalog.product("FLT-MUG");
        assertThat(inventory.reads).hasSize(2);
    }

    /** inventory-service's product reads as the HTTP interface client answers them: a product, 404 or unreachable. */
    private static final class Inventory implements InventoryClient {

        final List<String> reads = new ArrayList<>();

        long price = 250;

        boolean missing;

        boolean unreachable;

        @Override
        public Product product(String sku) {
            reads.add(sku);
            if (unreachable) {
                throw new ResourceAccessException("connection refused");
            }
            if (missing) {
                throw HttpClientErrorException.create(HttpStatus.NOT_FOUND, "Not Found", null, null, null);
            }
            return new Product(sku, "product " + sku, price, 10, 0);
        }

        @Override
        public void reserve(StockRequest request) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void deduct(StockRequest request) {
            throw new UnsupportedOperationException();
        }
    }
}
