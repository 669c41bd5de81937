package io.flotilla.txcoordinator.config;

import io.flotilla.raft.server.config.RaftServerAutoConfiguration;
import io.flotilla.txcoordinator.message.MessageCheckBacks;
import io.flotilla.txcoordinator.message.MessageHotPathFilter;
import io.flotilla.txcoordinator.phasetwo.Backoff;
import io.flotilla.txcoordinator.phasetwo.HttpParticipantClient;
import io.flotilla.txcoordinator.phasetwo.ParticipantClient;
import io.flotilla.txcoordinator.phasetwo.PhaseTwoDriver;
import io.flotilla.txcoordinator.raft.TxChangeDispatcher;
import io.flotilla.txcoordinator.raft.TxLog;
import io.flotilla.txcoordinator.state.TxStateMachine;
import io.flotilla.txcoordinator.state.TxValidation;
import io.flotilla.txcoordinator.transaction.OutcomeWaiters;
import io.flotilla.txcoordinator.transaction.TransactionHotPathFilter;
import io.flotilla.txcoordinator.transaction.TransactionService;
import io.flotilla.txcoordinator.sweep.LeaderSweeper;
import io.flotilla.raft.server.RaftServer;
import io.flotilla.raft.server.RaftServerProperties;
import io.flotilla.raft.client.RequestSignature;
import io.flotilla.raft.server.RaftService;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.HandlerExceptionResolver;
import tools.jackson.databind.json.JsonMapper;

import java.time.Clock;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;

/**
 * Wires the transaction log's state machine, the phase-two driver and the leader's sweeper (both leadership listeners,
 * which the kit registers on the node); the Raft node and its HTTP edge come from platform/raft-server. The clock is
 * a bean so tests can move time instead of sleeping.
 */
@Configuration(proxyBeanMethods = false)
public class TxCoordinatorConfiguration {

    private static final Logger log = LoggerFactory.getLogger(TxCoordinatorConfiguration.class);

    static final String SIGNING_KEYS_PROPERTY = CoordinatorProperties.PREFIX + ".phase-two.signing-keys";

    @Bean
    @ConditionalOnMissingBean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    TxChangeDispatcher txChangeDispatcher() {
        return new TxChangeDispatcher();
    }

    @Bean
    OutcomeWaiters outcomeWaiters(TxChangeDispatcher dispatcher) {
        OutcomeWaiters waiters = new OutcomeWaiters();
        dispatcher.add(waiters);
        return waiters;
    }

    /** The node's Raft settings under flotilla.coordinator; the coordinator's Raft port defaults to 9090 (HTTP 8090). */
    @Bean
    @ConfigurationProperties(CoordinatorProperties.PREFIX)
    RaftServerProperties coordinatorRaftProperties() {
        RaftServerProperties properties = new RaftServerProperties();
        properties.setNodeId("tx1");
        properties.setRaftPort(9090);
        return properties;
    }

    /** The transaction log's state machine; the kit builds the Raft node and its HTTP edge around it. */
    @Bean
    RaftService coordinatorRaftService(TxChangeDispatcher dispatcher) {
        return new RaftService("tx-coordinator", CoordinatorProperties.PREFIX, new TxStateMachine(dispatcher));
    }

    @Bean
    TxLog txLog(RaftServer raftServer) {
        return new TxLog(raftServer);
    }

    /** Timers and retries of phase two and the sweeper; the calls themselves run on virtual threads of their own. */
    @Bean(destroyMethod = "shutdownNow")
    ScheduledExecutorService txScheduler() {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(2, runnable -> {
            Thread thread = new Thread(runnable, "tx-scheduler");
            thread.setDaemon(true);
            return thread;
        });
        executor.setRemoveOnCancelPolicy(true);
        return executor;
    }

    /** Signs with the first of phase-two.signing-keys; without one, says loudly that the calls go unsigned. */
    @Bean
    @ConditionalOnMissingBean
    ParticipantClient participantClient(CoordinatorProperties properties, Clock clock) {
        List<String> keys = properties.getPhaseTwo().getSigningKeys();
        RequestSignature.checkKeys(keys, SIGNING_KEYS_PROPERTY);
        if (keys.isEmpty()) {
            log.warn("{} is not set: phase-two calls go unsigned and participants refuse them unless they set "
                    + "flotilla.tx.participant.signature-required=false (development only)", SIGNING_KEYS_PROPERTY);
        }
        return new HttpParticipantClient(properties.getPhaseTwo().getCallTimeout(),
                keys.isEmpty() ? null : keys.getFirst().strip(), clock);
    }

    @Bean
    PhaseTwoDriver phaseTwoDriver(TxLog txLog, TxChangeDispatcher dispatcher,
                                  ParticipantClient participants,
                                  ScheduledExecutorService txScheduler, Clock clock, CoordinatorProperties properties,
                                  MeterRegistry meterRegistry) {
        CoordinatorProperties.PhaseTwo phaseTwo = properties.getPhaseTwo();
        PhaseTwoDriver driver = new PhaseTwoDriver(txLog, participants, txScheduler, clock,
                new Backoff(phaseTwo.getInitialBackoff(), phaseTwo.getMaxBackoff(), new SplittableRandom()),
                phaseTwo.getAlertAfterAttempts(), phaseTwo.getReconcileInterval(), meterRegistry);
        dispatcher.add(driver);
        return driver;
    }

    @Bean
    MessageCheckBacks messageCheckBacks(TxLog txLog, ParticipantClient participants, Clock clock,
                                        CoordinatorProperties properties, MeterRegistry meterRegistry) {
        CoordinatorProperties.PhaseTwo phaseTwo = properties.getPhaseTwo();
        return new MessageCheckBacks(txLog, participants,
                new Backoff(phaseTwo.getInitialBackoff(), phaseTwo.getMaxBackoff(), new SplittableRandom()), clock,
                phaseTwo.getAlertAfterAttempts(), meterRegistry);
    }

    @Bean
    LeaderSweeper leaderSweeper(TxLog txLog, Clock clock, ScheduledExecutorService txScheduler,
                                CoordinatorProperties properties, MessageCheckBacks messageCheckBacks,
                                MeterRegistry meterRegistry) {
        return new LeaderSweeper(txLog, clock, txScheduler, properties.getTimeoutSweepInterval(),
                properties.getRetention(), properties.getRetentionLimit(), TxValidation.MAX_PURGE, messageCheckBacks,
                meterRegistry);
    }

    /**
     * Begin, branch, commit and rollback without Spring MVC, in the Raft kit's hot-path place: after its token and
     * leader-forwarding filters, so a follower still forwards and a token is still required.
     */
    @Bean
    FilterRegistrationBean<TransactionHotPathFilter> transactionHotPathFilter(TransactionService transactions,
            JsonMapper jsonMapper, @Qualifier("handlerExceptionResolver") HandlerExceptionResolver resolver) {
        FilterRegistrationBean<TransactionHotPathFilter> registration = new FilterRegistrationBean<>(
                new TransactionHotPathFilter(transactions, jsonMapper, resolver));
        registration.addUrlPatterns("/v1/transactions", "/v1/transactions/*");
        registration.setOrder(RaftServerAutoConfiguration.HOT_PATH_FILTER_ORDER);
        return registration;
    }

    /** A two-phase message's prepare without Spring MVC, beside {@link #transactionHotPathFilter}. */
    @Bean
    FilterRegistrationBean<MessageHotPathFilter> messageHotPathFilter(TransactionService transactions,
            JsonMapper jsonMapper, @Qualifier("handlerExceptionResolver") HandlerExceptionResolver resolver) {
        FilterRegistrationBean<MessageHotPathFilter> registration = new FilterRegistrationBean<>(
                new MessageHotPathFilter(transactions, jsonMapper, resolver));
        registration.addUrlPatterns("/v1/messages");
        registration.setOrder(RaftServerAutoConfiguration.HOT_PATH_FILTER_ORDER);
        return registration;
    }
}
