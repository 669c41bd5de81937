package io.flotilla.tx.message.crash;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A producer and receiver of transactional messages for the crash tests, started as a real process: orders whose
 * confirmation sends an {@code order-confirmed} message, and a points ledger receiving them, each in the process's
 * own database. Configuration comes from the command line only ({@code spring.config.name=messaging}).
 */
@SpringBootApplication
public class MessagingApplication {

    public static void main(String[] args) {
        System.setProperty("spring.config.name", "messaging");
        SpringApplication.run(MessagingApplication.class, args);
    }
}
