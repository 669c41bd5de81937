package io.flotilla.tx.it.ledger;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A participant used by the integration tests, started as a real process: accounts in its own database, moved
 * by TCC actions and XA branches through the starter, with fault switches the tests flip over HTTP.
 * Its configuration comes from the command line only ({@code spring.config.name=ledger} keeps the
 * coordinator's {@code application.yml}, also on the test class path, out).
 */
@SpringBootApplication
public class LedgerApplication {

    public static void main(String[] args) {
        System.setProperty("spring.config.name", "ledger");
        SpringApplication.run(LedgerApplication.class, args);
    }
}
