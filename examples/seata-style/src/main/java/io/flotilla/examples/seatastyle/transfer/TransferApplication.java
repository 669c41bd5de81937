package io.flotilla.examples.seatastyle.transfer;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;

/** The initiator: transfers between wallets as global transactions. Its settings are in {@code transfer.yml}. */
@SpringBootApplication
public class TransferApplication {

    public static void main(String[] args) {
        new SpringApplicationBuilder(TransferApplication.class).properties("spring.config.name=transfer").run(args);
    }
}
