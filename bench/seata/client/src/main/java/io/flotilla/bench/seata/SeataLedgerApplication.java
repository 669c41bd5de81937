package io.flotilla.bench.seata;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * One bank of the Seata side of the benchmark: the same accounts table and the same TCC debit and credit as
 * Flotilla's test ledger ({@code platform/tx-starter/src/test/java/io/flotilla/tx/it/ledger}), written against
 * Seata's TCC API and run with Seata's own starter, fence on ({@code useTCCFence = true}) as Flotilla's always is.
 */
@SpringBootApplication
public class SeataLedgerApplication {

    public static void main(String[] args) {
        SpringApplication.run(SeataLedgerApplication.class, args);
    }
}
