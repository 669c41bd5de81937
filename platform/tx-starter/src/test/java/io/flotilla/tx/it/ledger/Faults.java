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

    /** How long every confirm (TCC) takes before it runs, as if its work were slow. */
    final AtomicLong confirmDelayMillis = new AtomicLong();

    void failNextConfirm() {
        long delay = confirmDelayMillis.get();
        if (delay > 0) {
            try {
                Thread.sleep(delay);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted in an injected confirm delay", e);
            }
        }
        if (confirmFailures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new IllegalStateException("injected confirm failure");
        }
    }
}
