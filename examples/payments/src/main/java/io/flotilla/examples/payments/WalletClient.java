package io.flotilla.examples.payments;

import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.service.annotation.GetExchange;
import org.springframework.web.service.annotation.HttpExchange;
import org.springframework.web.service.annotation.PostExchange;

/** The wallet app's API, called by its registered name. */
@HttpExchange("/api/wallets/{owner}")
public interface WalletClient {

    @GetExchange
    Wallet wallet(@PathVariable String owner);

    @PostExchange("/debits")
    void debit(@PathVariable String owner, @RequestBody Movement movement);

    @PostExchange("/credits")
    void credit(@PathVariable String owner, @RequestBody Movement movement);

    @PostExchange("/xa-debits")
    void xaDebit(@PathVariable String owner, @RequestBody Movement movement);

    @PostExchange("/xa-credits")
    void xaCredit(@PathVariable String owner, @RequestBody Movement movement);

    record Movement(long transferId, long amount) {
    }

    record Wallet(String owner, long available, long frozen, long incoming) {
    }
}
