package io.flotilla.tx.it;

import io.flotilla.tx.api.GlobalStatus;
import io.flotilla.tx.api.TransactionMode;
import io.flotilla.tx.config.TxAutoConfiguration;
import io.flotilla.tx.core.XidContext;
import io.flotilla.tx.initiator.GlobalTransactional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link GlobalTransactional} methods begin, commit and roll back real transactions at the real coordinator. */
@ExtendWith(SharedLedgerCluster.class)
class GlobalTransactionalIntegrationTests {

    @Test
    void anAnnotatedMethodCommitsWhenItReturnsAndRollsBackWhenItThrows(LedgerCluster cluster) {
        new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(TxAutoConfiguration.class))
            .withUserConfiguration(Checkout.class)
            .withPropertyValues("flotilla.tx.coordinator.addresses=" + cluster.coordinatorUrl)
            .run(context -> {
                Checkout.Service checkout = context.getBean(Checkout.Service.class);

                String committed = checkout.pay();
                assertThat(committed).isNotNull();
                assertThat(cluster.awaitFinished(committed, Duration.ofSeconds(30)).status()).isEqualTo(GlobalStatus.COMMITTED);
                assertThat(XidContext.currentXid()).as("unbound after the method").isNull();

                assertThatThrownBy(checkout::payAndFail).isInstanceOf(IllegalStateException.class).hasMessage("declined");
                String rolledBack = checkout.lastXid();
                assertThat(rolledBack).isNotEqualTo(committed);
                assertThat(cluster.awaitFinished(rolledBack, Duration.ofSeconds(30)).status()).isEqualTo(GlobalStatus.ROLLED_BACK);

                assertThat(checkout.outerJoinsInner()).as("a nested call joins the outer transaction").isTrue();
            });
    }

    @Configuration(proxyBeanMethods = false)
    static class Checkout {

        @Bean
        Inner inner() {
            return new Inner();
        }

        @Bean
        Service checkoutService(Inner inner) {
            return new Service(inner);
        }

        static class Inner {

            @GlobalTransactional
            public String currentXid() {
                return XidContext.currentXid();
            }
        }

        static class Service {

            final AtomicReference<String> lastXid = new AtomicReference<>();
            private final Inner inner;

            Service(Inner inner) {
                this.inner = inner;
            }

            @GlobalTransactional(mode = TransactionMode.XA, timeoutMs = 20_000)
            public String pay() {
                return XidContext.currentXid();
            }

            /** Read through the proxy: a CGLIB proxy's own fields are empty. */
            public String lastXid() {
                return lastXid.get();
            }

            @GlobalTransactional
            public void payAndFail() {
                lastXid.set(XidContext.currentXid());
                throw new IllegalStateException("declined");
            }

            @GlobalTransactional
            public boolean outerJoinsInner() {
                String outer = XidContext.currentXid();
                return outer.equals(inner.currentXid());
            }
        }
    }
}
