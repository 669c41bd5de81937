package io.flotilla.bench.seata;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * The XA transfer's two updates, the same statements and paths as Flotilla's test ledger ({@code /ledger/xa/...}),
 * written as a Seata XA user writes them: plain JDBC on the application's {@code DataSource}, which Seata's starter
 * wraps in {@code DataSourceProxyXA} when started with {@code seata.enable-auto-data-source-proxy=true} and
 * {@code seata.data-source-proxy-mode=XA} (bench/seata-bench.sh does for the {@code xa} phase). Each update then runs
 * as an XA branch of the global transaction whose xid arrived in the {@code TX_XID} header: registered with the TC,
 * {@code XA START}, the update, {@code XA END} and {@code XA PREPARE}; the TC commits it in phase two.
 */
@RestController
@RequestMapping("/ledger/xa")
class XaLedgerController {

    private final JdbcTemplate jdbc;
    private final boolean xaProxy;

    XaLedgerController(JdbcTemplate jdbc, @Value("${seata.enable-auto-data-source-proxy:true}") boolean autoProxy,
            @Value("${seata.data-source-proxy-mode:AT}") String proxyMode) {
        this.jdbc = jdbc;
        this.xaProxy = autoProxy && "XA".equalsIgnoreCase(proxyMode);
    }

    @PostMapping("/{id}/debit")
    void debit(@PathVariable String id, @RequestParam long amount) {
        requireXaBranch();
        if (jdbc.update("UPDATE account SET balance = balance - ? WHERE id = ? AND balance >= ?", amount, id, amount) != 1) {
            throw new IllegalStateException("insufficient funds in " + id);
        }
    }

    @PostMapping("/{id}/credit")
    void credit(@PathVariable String id, @RequestParam long amount) {
        requireXaBranch();
        jdbc.update("UPDATE account SET balance = balance + ? WHERE id = ?", amount, id);
    }

    /** Without the XA proxy, or outside a global transaction, these would be plain updates: not what is measured. */
    private void requireXaBranch() {
        if (!xaProxy) {
            throw new IllegalStateException("this bank runs without Seata's XA data-source proxy "
                    + "(seata.enable-auto-data-source-proxy=true, seata.data-source-proxy-mode=XA)");
        }
        LedgerController.requireGlobalTransaction();
    }

    @ExceptionHandler(IllegalStateException.class)
    @ResponseStatus(HttpStatus.CONFLICT)
    String refused(IllegalStateException e) {
        return e.getMessage();
    }
}
