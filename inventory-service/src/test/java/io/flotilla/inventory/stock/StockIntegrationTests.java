package io.flotilla.inventory.stock;

import io.flotilla.tx.api.TransactionMode;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import io.flotilla.inventory.PostgresInventoryTest;
import io.flotilla.inventory.StockLedger;
import io.flotilla.inventory.product.Product;
import io.flotilla.inventory.product.ProductRepository;
import io.flotilla.tx.core.GlobalTransactionTemplate;
import io.flotilla.tx.web.XidPropagatingInterceptor;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.client.HttpClientErrorException;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Stock moves as real branches of global transactions: a real coordinator process begins, commits and rolls back,
 * and calls this service's phase-two endpoints over HTTP; the stock lives in PostgreSQL.
 */
@PostgresInventoryTest
class StockIntegrationTests {

    @Autowired
    GlobalTransactionTemplate transactions;

    @Autowired
    XidPropagatingInterceptor xidPropagation;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    ProductRepository products;

    @LocalServerPort
    int port;

    StockLedger ledger;

    RestClient inventory;

    @BeforeEach
    void setUp() {
        ledger = new StockLedger(jdbc, products);
        inventory = RestClient.builder().baseUrl("http://127.0.0.1:" + port).requestInterceptor(xidPropagation).build();
    }

    private void move(String path, String sku, int quantity) {
        inventory.post()
            .uri(path)
            .contentType(MediaType.APPLICATION_JSON)
            .body(new StockRequest(sku, quantity))
            .retrieve()
            .toBodilessEntity();
    }

    private void awaitStock(String sku, int available, int frozen) {
        awaitTrue(() -> {
            Product product = ledger.product(sku);
            return product.available() == available && product.frozen() == frozen;
        }, () -> "stock of " + sku + " to become available=" + available + " frozen=" + frozen + ", is "
                + ledger.product(sku));
    }

    @Test
    void tccTryFreezesAndCommitConfirms() {
        String sku = ledger.newProduct("tcc", 10);
        transactions.execute(TransactionMode.TCC, tx -> {
            move("/api/stock/reservations", sku, 3);
            assertThat(ledger.product(sku).frozen()).isEqualTo(3);
            return null;
        });
        awaitStock(sku, 7, 0);
    }

    @Test
    void tccRollbackAfterTheTryReturnsTheFrozenUnits() {
        String sku = ledger.newProduct("tcc", 10);
        assertThatThrownBy(() -> transactions.execute(TransactionMode.TCC, tx -> {
            move("/api/stock/reservations", sku, 4);
            throw new IllegalStateException("the initiator changed its mind");
        })).hasMessage("the initiator changed its mind");
        awaitStock(sku, 10, 0);
    }

    @Test
    void tccInsufficientStockIsRefusedAndLeavesNothingFrozen() {
        String sku = ledger.newProduct("tcc", 2);
        assertThatThrownBy(() -> transactions.execute(TransactionMode.TCC, tx -> {
            move("/api/stock/reservations", sku, 3);
            return null;
        })).isInstanceOfSatisfying(HttpClientErrorException.class,
                refused -> assertThat(refused.getStatusCode()).isEqualTo(HttpStatus.CONFLICT));
        awaitStock(sku, 2, 0);
    }

    @Test
    void xaCommitTakesTheUnits() {
        String sku = ledger.newProduct("xa", 10);
        transactions.execute(TransactionMode.XA, tx -> {
            move("/api/stock/deductions", sku, 4);
            // Prepared, not committed: nobody else sees the deduction yet.
            assertThat(ledger.product(sku).available()).isEqualTo(10);
            return null;
        });
        awaitStock(sku, 6, 0);
    }

    @Test
    void xaRollbackLeavesTheStock() {
        String sku = ledger.newProduct("xa", 10);
        assertThatThrownBy(() -> transactions.execute(TransactionMode.XA, tx -> {
            move("/api/stock/deductions", sku, 4);
            throw new IllegalStateException("the initiator changed its mind");
        })).hasMessage("the initiator changed its mind");
        awaitStock(sku, 10, 0);
        awaitTrue(() -> preparedTransactions() == 0, () -> "prepared XA branches left: " + preparedTransactions());
    }

    @Test
    void xaInsufficientStockIsRefused() {
        String sku = ledger.newProduct("xa", 1);
        assertThatThrownBy(() -> transactions.execute(TransactionMode.XA, tx -> {
            move("/api/stock/deductions", sku, 2);
            return null;
        })).isInstanceOf(HttpClientErrorException.Conflict.class);
        awaitStock(sku, 1, 0);
    }

    @Test
    void stockMovesOutsideAGlobalTransactionAreBadRequests() {
        String sku = ledger.newProduct("none", 5);
        assertThatThrownBy(() -> move("/api/stock/reservations", sku, 1))
            .isInstanceOf(HttpClientErrorException.BadRequest.class)
            .hasMessageContaining("X-Flotilla-Xid");
        assertThatThrownBy(() -> move("/api/stock/deductions", sku, 1))
            .isInstanceOf(HttpClientErrorException.BadRequest.class);
        assertThatThrownBy(() -> transactions.execute(TransactionMode.TCC, tx -> {
            move("/api/stock/reservations", sku, 0);
            return null;
        })).isInstanceOf(HttpClientErrorException.BadRequest.class).hasMessageContaining("quantity");
        awaitStock(sku, 5, 0);
    }

    private int preparedTransactions() {
        return jdbc.sql("SELECT count(*) FROM pg_prepared_xacts WHERE database = current_database()")
            .query(Integer.class)
            .single();
    }

    private static void awaitTrue(BooleanSupplier condition, Supplier<String> description) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("timed out waiting for " + description.get());
            }
            try {
                Thread.sleep(50);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
