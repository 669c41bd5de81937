package io.flotilla.inventory;

import io.flotilla.testsupport.process.TestCoordinator;
import io.flotilla.inventory.product.ProductRepository;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The embedded default (an H2 file in PostgreSQL mode, as in application.yml) migrates, seeds, and gets the tx
 * starter's fence table.
 */
@SpringBootTest(properties = {
        "spring.datasource.url=jdbc:h2:file:${java.io.tmpdir}/flotilla-inventory-h2-${random.uuid}/inventory;"
                + "MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;QUERY_CACHE_SIZE=64",
        "flotilla.tx.coordinator.addresses=http://127.0.0.1:1", "flotilla.registry.enabled=false",
        "flotilla.tx.participant.signing-keys=" + TestCoordinator.PHASE_TWO_KEY })
class EmbeddedH2IntegrationTests {

    @Autowired
    ProductRepository products;

    @Autowired
    JdbcClient jdbc;

    @Test
    void defaultDatabaseIsSeededWithTheFenceTable() {
        assertThat(products.findAll()).extracting("sku").contains("FLT-MUG", "FLT-TEE", "RAFT-BOOK");
        assertThat(products.freeze("FLT-CAP", 5)).isTrue();
        assertThat(products.freeze("FLT-CAP", 26)).isFalse();
        assertThat(products.findBySku("FLT-CAP").orElseThrow().frozen()).isEqualTo(5);
        assertThat(jdbc.sql("SELECT count(*) FROM information_schema.tables WHERE lower(table_name) LIKE '%fence%'")
            .query(Integer.class)
            .single()).isPositive();
    }
}
