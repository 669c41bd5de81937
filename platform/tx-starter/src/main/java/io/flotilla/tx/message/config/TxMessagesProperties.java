package io.flotilla.tx.message.config;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;

/** Transactional messages ({@code flotilla.tx.messages.*}): how {@code TransactionalMessages.send} delivers. */
@ConfigurationProperties("flotilla.tx.messages")
public class TxMessagesProperties {

    /** Where a sent message goes: {@code coordinator} (two-phase messages) or {@code outbox} (a broker, via a relay). */
    private Mode mode = Mode.COORDINATOR;

    /** How long the coordinator waits for a prepared message's submit before asking this application back. */
    private Duration checkAfter = Duration.ofSeconds(30);

    /** Whether to create the barrier, received-message and outbox tables with the starter's Flyway migration. */
    private boolean initializeSchema = true;

    private final Outbox outbox = new Outbox();

    public Mode getMode() {
        return mode;
    }

    public void setMode(Mode mode) {
        this.mode = mode;
    }

    public Duration getCheckAfter() {
        return checkAfter;
    }

    public void setCheckAfter(Duration checkAfter) {
        this.checkAfter = checkAfter;
    }

    public boolean isInitializeSchema() {
        return initializeSchema;
    }

    public void setInitializeSchema(boolean initializeSchema) {
        this.initializeSchema = initializeSchema;
    }

    public Outbox getOutbox() {
        return outbox;
    }

    public enum Mode {
        /** Two-phase messages through the Flotilla coordinator, delivered over HTTP to the targets. */
        COORDINATOR,
        /** An outbox row in the local transaction, published to RabbitMQ by the relay. */
        OUTBOX
    }

    /** The outbox relay ({@code flotilla.tx.messages.outbox.*}). */
    public static class Outbox {

        /** Exchange the relay publishes to; a target is then the routing key ("" is the default exchange). */
        private String exchange = "";

        /** How often the relay rescans for rows not yet confirmed by the broker. */
        private Duration relayInterval = Duration.ofSeconds(1);

        /** Rows published per relay pass at most. */
        private int batchSize = 100;

        /** How long the relay waits for the broker's publisher confirms before trying the rows again. */
        private Duration confirmTimeout = Duration.ofSeconds(10);

        public String getExchange() {
            return exchange;
        }

        public void setExchange(String exchange) {
            this.exchange = exchange;
        }

        public Duration getRelayInterval() {
            return relayInterval;
        }

        public void setRelayInterval(Duration relayInterval) {
            this.relayInterval = relayInterval;
        }

        public int getBatchSize() {
            return batchSize;
        }

        public void setBatchSize(int batchSize) {
            this.batchSize = batchSize;
        }

        public Duration getConfirmTimeout() {
            return confirmTimeout;
        }

        public void setConfirmTimeout(Duration confirmTimeout) {
            this.confirmTimeout = confirmTimeout;
        }
    }
}
