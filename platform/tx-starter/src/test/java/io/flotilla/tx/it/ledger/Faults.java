package io.flotilla.tx.it.ledger;

import org.springframework.stereotype.Component;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** Fault switches of the test participant. */
@Component
public class Faults {

    /** How many upcoming confirms (TCC) fail before they run. */
    final AtomicInteger confirmFailures = new AtomicInteger();

    /** How long the answer to a branch registration is held back, as if the network were slow. */
    final AtomicLong registrationDelayMillis = new AtomicLong();

    void failNextConfirm() {
        if (confirmFailures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new IllegalStateException("injected confirm failure");
        }
    }
}
