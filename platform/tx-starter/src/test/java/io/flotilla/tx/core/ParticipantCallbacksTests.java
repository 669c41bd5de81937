package io.flotilla.tx.core;

import java.net.URI;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import io.flotilla.tx.api.BranchRequest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ParticipantCallbacksTests {

    private final AtomicReference<URI> base = new AtomicReference<>(URI.create("http://10.0.0.7:8080/"));

    private final AtomicBoolean batches = new AtomicBoolean(true);

    private final ParticipantCallbacks callbacks = new ParticipantCallbacks(base::get, "flotilla/tx/", batches::get);

    @Test
    void aRegistrationNamesThePhaseTwoUrlsUnderTheBaseUrlAndPrefix() {
        assertThat(callbacks.tcc("debit")).isEqualTo(new BranchRequest("debit",
                "http://10.0.0.7:8080/flotilla/tx/tcc/debit/confirm", "http://10.0.0.7:8080/flotilla/tx/tcc/debit/cancel",
                "http://10.0.0.7:8080/flotilla/tx/phase-two/batch"));
        assertThat(callbacks.xa("ledger")).isEqualTo(new BranchRequest("ledger",
                "http://10.0.0.7:8080/flotilla/tx/xa/ledger/commit", "http://10.0.0.7:8080/flotilla/tx/xa/ledger/rollback",
                "http://10.0.0.7:8080/flotilla/tx/phase-two/batch"));
        assertThat(callbacks.messageCheck()).isEqualTo("http://10.0.0.7:8080/flotilla/tx/messages/producer/check");
    }

    @Test
    void repeatedRegistrationsOfAResourceReuseItsUrlsUntilTheBaseUrlOrTheBatchEndpointChanges() {
        BranchRequest first = callbacks.tcc("debit");
        assertThat(callbacks.tcc("debit")).isSameAs(first);
        assertThat(callbacks.xa("debit").confirmUrl()).endsWith("/xa/debit/commit");

        base.set(URI.create("http://10.0.0.8:9090"));
        assertThat(callbacks.tcc("debit").confirmUrl()).isEqualTo("http://10.0.0.8:9090/flotilla/tx/tcc/debit/confirm");

        batches.set(false);
        assertThat(callbacks.tcc("debit").batchUrl()).isNull();
        assertThat(callbacks.tcc("debit").cancelUrl()).isEqualTo("http://10.0.0.8:9090/flotilla/tx/tcc/debit/cancel");
    }
}
