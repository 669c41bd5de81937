package io.flotilla.tx.message.config;

import io.flotilla.tx.config.TxAutoConfiguration;
import io.flotilla.tx.core.CoordinatorClient;
import io.flotilla.tx.core.ParticipantCallbacks;
import io.flotilla.tx.message.CoordinatorMessagePublisher;
import io.flotilla.tx.message.MessageBarrier;
import io.flotilla.tx.message.MessageDispatcher;
import io.flotilla.tx.message.MessageEndpoints;
import io.flotilla.tx.message.MessagePublisher;
import io.flotilla.tx.message.MessageReceiverRegistry;
import io.flotilla.tx.message.TransactionalMessages;
import io.flotilla.tx.message.outbox.OutboxMessagePublisher;
import io.flotilla.tx.message.outbox.OutboxRelay;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import io.flotilla.tx.tcc.FenceSchema;
import org.flywaydb.core.Flyway;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import tools.jackson.databind.json.JsonMapper;

import javax.sql.DataSource;
import java.time.Clock;

/**
 * Transactional messages for an application with one {@link DataSource}: {@link TransactionalMessages} for
 * producers (two-phase messages through the coordinator, or the outbox with {@code flotilla.tx.messages.mode=outbox}),
 * {@code @MessageReceiver} methods with the duplicate check for receivers, and the endpoints the coordinator calls.
 */
@AutoConfiguration(after = TxAutoConfiguration.class, afterName = {
        "org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration",
        "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
        "org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration",
        "org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration",
        "org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration"})
@ConditionalOnClass({JdbcTemplate.class, PlatformTransactionManager.class})
@ConditionalOnSingleCandidate(DataSource.class)
@EnableConfigurationProperties(TxMessagesProperties.class)
public class TxMessagesAutoConfiguration {

    static JsonMapper json(ObjectProvider<JsonMapper> applicationMapper) {
        return applicationMapper.getIfAvailable(() -> JsonMapper.builder().build());
    }

    @Bean
    @ConditionalOnMissingBean
    MessageBarrier flotillaMessageBarrier(DataSource dataSource) {
        return new MessageBarrier(dataSource);
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnProperty(name = "flotilla.tx.messages.mode", havingValue = "coordinator", matchIfMissing = true)
    MessagePublisher flotillaCoordinatorMessagePublisher(CoordinatorClient coordinator, MessageBarrier barrier,
            ParticipantCallbacks callbacks, TxMessagesProperties properties) {
        return new CoordinatorMessagePublisher(coordinator, barrier, callbacks::messageCheck,
                properties.getCheckAfter());
    }

    @Bean
    @ConditionalOnMissingBean
    TransactionalMessages flotillaTransactionalMessages(MessagePublisher publisher,
            ObjectProvider<JsonMapper> applicationMapper) {
        return new TransactionalMessages(publisher, json(applicationMapper));
    }

    @Bean
    @ConditionalOnMissingBean
    MessageReceiverRegistry flotillaMessageReceiverRegistry(ListableBeanFactory beanFactory) {
        return new MessageReceiverRegistry(beanFactory);
    }

    @Bean
    @ConditionalOnMissingBean
    MessageDispatcher flotillaMessageDispatcher(MessageReceiverRegistry registry, DataSource dataSource,
            PlatformTransactionManager transactionManager, ObjectProvider<JsonMapper> applicationMapper) {
        return new MessageDispatcher(registry, dataSource, transactionManager, json(applicationMapper));
    }

    /** {@code flotilla.tx.messages.mode=outbox}: outbox rows in the local transaction, relayed to RabbitMQ. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(RabbitTemplate.class)
    @ConditionalOnProperty(name = "flotilla.tx.messages.mode", havingValue = "outbox")
    static class OutboxConfiguration {

        @Bean
        @ConditionalOnMissingBean
        MessagePublisher flotillaOutboxMessagePublisher(DataSource dataSource) {
            return new OutboxMessagePublisher(dataSource);
        }

        @Bean
        @ConditionalOnMissingBean
        @ConditionalOnBean(ConnectionFactory.class)
        OutboxRelay flotillaOutboxRelay(DataSource dataSource, ConnectionFactory connectionFactory,
                TxMessagesProperties properties) {
            TxMessagesProperties.Outbox outbox = properties.getOutbox();
            return new OutboxRelay(dataSource, connectionFactory, outbox.getExchange(), outbox.getRelayInterval(),
                    outbox.getBatchSize(), outbox.getConfirmTimeout(), Clock.systemUTC());
        }
    }

    /** The check-back and delivery endpoints the coordinator calls. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    static class MessageEndpointsConfiguration {

        @Bean
        @ConditionalOnMissingBean
        MessageEndpoints flotillaMessageEndpoints(MessageBarrier barrier, MessageDispatcher dispatcher) {
            return new MessageEndpoints(barrier, dispatcher);
        }
    }

    /** Creates the message tables when Flyway is on the class path (otherwise create them yourself). */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(Flyway.class)
    @ConditionalOnBooleanProperty(name = "flotilla.tx.messages.initialize-schema", matchIfMissing = true)
    static class MessageSchemaConfiguration {

        @Bean
        InitializingBean flotillaMessageSchema(DataSource dataSource) {
            return () -> FenceSchema.migrate(dataSource);
        }
    }
}
