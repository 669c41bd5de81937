package io.flotilla.inventory;

import io.flotilla.inventory.product.ProductRepository;
import io.flotilla.inventory.reservation.ReservationConflictException;
import io.flotilla.inventory.reservation.StockReservationService;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The embedded default (H2 file in PostgreSQL mode, as in application.yml) migrates, seeds, and runs the same
 * insert-first reservation SQL as PostgreSQL.
 */
@SpringBootTest(properties = "spring.datasource.url=jdbc:h2:file:${java.io.tmpdir}/flotilla-inventory-h2-${random.uuid}/inventory;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH")
class EmbeddedH2IntegrationTests {

    @Autowired
    ProductRepository products;

    @Autowired
    StockReservationService reservations;

    @Test
    void defaultDatabaseIsSeededAndReservesStock() {
        assertThat(products.findAll()).extracting("sku").contains("FLT-MUG", "FLT-TEE", "RAFT-BOOK");
        reservations.reserve("h2-1", "FLT-CAP", 5);
        reservations.reserve("h2-1", "FLT-CAP", 5);
        assertThat(products.findBySku("FLT-CAP").orElseThrow().frozen()).isEqualTo(5);
        reservations.cancel("h2-1");
        reservations.cancel("h2-2");
        assertThatThrownBy(() -> reservations.reserve("h2-2", "FLT-CAP", 1))
            .isInstanceOf(ReservationConflictException.class);
        assertThat(products.findBySku("FLT-CAP").orElseThrow().available()).isEqualTo(30);
        assertThat(products.findBySku("FLT-CAP").orElseThrow().frozen()).isZero();
    }
}
