package io.flotilla.examples.seatastyle.transfer;

import java.util.Map;

import io.seata.core.context.RootContext;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestTemplate;

/**
 * The wallet service's API. Each call carries the global transaction's xid in Seata's {@code TX_XID} header, which
 * is how the wallet joins the transaction.
 */
@Component
public class WalletClient {

    private final RestTemplate http;
    private final String walletUrl;

    public WalletClient(RestTemplate http, @Value("${seata-style.wallet-url}") String walletUrl) {
        this.http = http;
        this.walletUrl = walletUrl;
    }

    public void debit(String owner, String transferId, long amount) {
        post("/api/wallets/{owner}/debits", owner, transferId, amount);
    }

    public void credit(String owner, String transferId, long amount) {
        post("/api/wallets/{owner}/credits", owner, transferId, amount);
    }

    private void post(String path, String owner, String transferId, long amount) {
        HttpHeaders headers = new HttpHeaders();
        headers.setContentType(MediaType.APPLICATION_JSON);
        headers.set(RootContext.KEY_XID, RootContext.getXID());
        Map<String, Object> movement = Map.of("transferId", transferId, "amount", amount);
        http.postForEntity(walletUrl + path, new HttpEntity<>(movement, headers), Void.class, owner);
    }
}
