package io.flotilla.registryservice.store;

import io.flotilla.registryservice.state.command.RegistryQuery;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

class ChangeNotifierTests {

    private final ChangeNotifier notifier = new ChangeNotifier();

    @Test
    void aKeyWatcherWakesOnlyForItsOwnKey() {
        CompletableFuture<Void> predecessor = notifier.nextChange(new RegistryQuery.KvGet("locks/a/0001"));

        notifier.keyChanged(7, "locks/a/0002");
        notifier.keyChanged(8, "locks/a/00011");
        assertThat(predecessor).isNotDone();

        notifier.keyChanged(9, "locks/a/0001");
        assertThat(predecessor).isDone();
        assertThat(notifier.waiting()).isZero();
    }

    @Test
    void aPrefixWatcherWakesForKeysUnderItsPrefixOnly() {
        CompletableFuture<Void> queue = notifier.nextChange(new RegistryQuery.KvGetPrefix("locks/a/"));

        notifier.keyChanged(7, "locks/ab/0001");
        notifier.serviceChanged(8, "orders");
        assertThat(queue).isNotDone();

        notifier.keyChanged(9, "locks/a/0003");
        assertThat(queue).isDone();
    }

    @Test
    void serviceWatchersIgnoreKeysAndEveryoneWakesWhenTheStateIsReplaced() {
        CompletableFuture<Void> instances = notifier.nextChange(new RegistryQuery.GetInstances("orders"));
        CompletableFuture<Void> key = notifier.nextChange(new RegistryQuery.KvGet("k"));

        notifier.keyChanged(3, "orders");
        assertThat(instances).isNotDone();

        notifier.stateReplaced(10);
        assertThat(instances).isDone();
        assertThat(key).isDone();
    }
}
