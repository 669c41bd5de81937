package io.flotilla.inventory.reservation;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.flotilla.inventory.PostgresInventoryTest;
import io.flotilla.inventory.StockLedger;
import io.flotilla.inventory.product.Product;
import io.flotilla.inventory.product.ProductRepository;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/** Many callers racing for little stock, and tries racing their own cancels, on real PostgreSQL row locks. */
@PostgresInventoryTest
class ConcurrentReservationIntegrationTests {

    @Autowired
    StockReservationService service;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    ProductRepository products;

    @Test
    void twoHundredReservationsForFiftyUnitsNeverOversell() throws Exception {
        StockLedger ledger = new StockLedger(jdbc, products);
        String sku = ledger.newProduct("race", 50);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Boolean>> outcomes = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(16)) {
            for (int i = 0; i < 200; i++) {
                String id = "race-" + sku + "-" + i;
                outcomes.add(pool.submit(() -> {
                    start.await();
                    try {
                        service.reserve(id, sku, 1);
                        return true;
                    }
                    catch (InsufficientStockException refused) {
                        return false;
                    }
                }));
            }
            start.countDown();
            int reserved = 0;
            for (Future<Boolean> outcome : outcomes) {
                reserved += outcome.get() ? 1 : 0;
            }
            assertThat(reserved).isEqualTo(50);
        }
        Product product = ledger.product(sku);
        assertThat(product.available()).isZero();
        assertThat(product.frozen()).isEqualTo(50);
    }

    @Test
    void tryRacingItsCancelEitherHoldsNothingOrIsReturned() throws Exception {
        StockLedger ledger = new StockLedger(jdbc, products);
        String sku = ledger.newProduct("disorder", 1_000);
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            List<Future<?>> calls = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                String id = "disorder-" + sku + "-" + i;
                calls.add(pool.submit(() -> {
                    try {
                        service.reserve(id, sku, 3);
                    }
                    catch (ReservationConflictException cancelledFirst) {
                        // the cancel won: the try must hold nothing, checked below
                    }
                }));
                calls.add(pool.submit(() -> service.cancel(id)));
            }
            for (Future<?> call : calls) {
                call.get();
            }
        }
        // Every id ended cancelled, so whichever order the pair ran in, all stock is back.
        Product product = ledger.product(sku);
        assertThat(product.available()).isEqualTo(1_000);
        assertThat(product.frozen()).isZero();
        assertThat(jdbc.sql("SELECT count(*) FROM stock_reservation WHERE sku = ? AND status <> 'CANCELLED'")
            .param(sku)
            .query(Integer.class)
            .single()).isZero();
    }
}
