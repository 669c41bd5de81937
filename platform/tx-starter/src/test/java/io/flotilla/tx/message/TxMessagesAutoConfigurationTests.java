package io.flotilla.tx.message;

import io.flotilla.tx.config.TxAutoConfiguration;
import io.flotilla.tx.message.config.TxMessagesAutoConfiguration;
import io.flotilla.tx.message.outbox.OutboxMessagePublisher;
import io.flotilla.tx.message.outbox.OutboxRelay;
import org.junit.jupiter.api.Test;
import org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Which message beans the starter makes, by data source and mode. */
class TxMessagesAutoConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(TxAutoConfiguration.class, TxMessagesAutoConfiguration.class));

    private ApplicationContextRunner withDatabase() {
        return runner.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
                        DataSourceTransactionManagerAutoConfiguration.class))
                .withPropertyValues("spring.datasource.url=jdbc:h2:mem:auto-" + UUID.randomUUID()
                        + ";DB_CLOSE_DELAY=-1");
    }

    @Test
    void withoutADataSourceThereAreNoMessages() {
        runner.run(context -> assertThat(context).doesNotHaveBean(TransactionalMessages.class)
                .doesNotHaveBean(MessageDispatcher.class));
    }

    @Test
    void byDefaultMessagesGoThroughTheCoordinator() {
        withDatabase().run(context -> {
            assertThat(context).hasSingleBean(TransactionalMessages.class).hasSingleBean(MessageDispatcher.class)
                    .hasSingleBean(MessageBarrier.class).doesNotHaveBean(OutboxRelay.class);
            assertThat(context.getBean(MessagePublisher.class)).isInstanceOf(CoordinatorMessagePublisher.class);
        });
    }

    @Test
    void inOutboxModeMessagesGoToTheOutboxAndTheRelayPublishesThem() {
        withDatabase().withConfiguration(AutoConfigurations.of(RabbitAutoConfiguration.class))
                .withPropertyValues("flotilla.tx.messages.mode=outbox",
                        "spring.rabbitmq.publisher-confirm-type=correlated", "spring.rabbitmq.publisher-returns=true")
                .run(context -> {
                    assertThat(context.getBean(MessagePublisher.class)).isInstanceOf(OutboxMessagePublisher.class);
                    assertThat(context).hasSingleBean(OutboxRelay.class);
                });
    }

    @Test
    void theOutboxWithoutPublisherConfirmsDoesNotStart() {
        withDatabase().withConfiguration(AutoConfigurations.of(RabbitAutoConfiguration.class))
                .withPropertyValues("flotilla.tx.messages.mode=outbox")
                .run(context -> assertThat(context).hasFailed().getFailure()
                        .rootCause().hasMessageContaining("spring.rabbitmq.publisher-confirm-type=correlated"));
    }
}
