package io.flotilla.examples.seatastyle.wallet;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;

/** The participant: wallets whose debits and credits are TCC actions. Its settings are in {@code wallet.yml}. */
@SpringBootApplication
public class WalletApplication {

    public static void main(String[] args) {
        new SpringApplicationBuilder(WalletApplication.class).properties("spring.config.name=wallet").run(args);
    }
}
