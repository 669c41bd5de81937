package io.flotilla.txcoordinator.config;

import io.flotilla.txcoordinator.phasetwo.Backoff;
import io.flotilla.txcoordinator.phasetwo.HttpParticipantClient;
import io.flotilla.txcoordinator.phasetwo.ParticipantClient;
import io.flotilla.txcoordinator.phasetwo.PhaseTwoDriver;
import io.flotilla.txcoordinator.raft.TxChangeDispatcher;
import io.flotilla.txcoordinator.raft.TxLog;
import io.flotilla.txcoordinator.raft.TxRaftServer;
import io.flotilla.txcoordinator.sweep.LeaderSweeper;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.net.http.HttpClient;
import java.time.Clock;
import java.util.SplittableRandom;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;

/**
 * Wires the Raft node, the phase-two driver and the leader's sweeper. The clock is a bean so tests can move time
 * instead of sleeping.
 */
@Configuration(proxyBeanMethods = false)
public class TxCoordinatorConfiguration {

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
    TxRaftServer txRaftServer(TxProperties properties, TxChangeDispatcher dispatcher, MeterRegistry meterRegistry) {
        return new TxRaftServer(properties, dispatcher, meterRegistry);
    }

    @Bean
    TxLog txLog(TxRaftServer server) {
        return server.txLog();
    }

    /** Timers and retries of phase two and the sweeper; the calls themselves run on the HTTP client's threads. */
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

    @Bean
    @ConditionalOnMissingBean
    ParticipantClient participantClient(TxProperties properties) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(properties.getPhaseTwo().getCallTimeout())
                .executor(Executors.newVirtualThreadPerTaskExecutor()).build();
        return new HttpParticipantClient(http, properties.getPhaseTwo().getCallTimeout());
    }

    @Bean
    PhaseTwoDriver phaseTwoDriver(TxRaftServer server, TxChangeDispatcher dispatcher, ParticipantClient participants,
                                  ScheduledExecutorService txScheduler, Clock clock, TxProperties properties,
                                  MeterRegistry meterRegistry) {
        TxProperties.PhaseTwo phaseTwo = properties.getPhaseTwo();
        PhaseTwoDriver driver = new PhaseTwoDriver(server.txLog(), participants, txScheduler, clock,
                new Backoff(phaseTwo.getInitialBackoff(), phaseTwo.getMaxBackoff(), new SplittableRandom()),
                phaseTwo.getAlertAfterAttempts(), phaseTwo.getReconcileInterval(), meterRegistry);
        dispatcher.add(driver);
        server.node().addLeadershipListener(driver);
        return driver;
    }

    @Bean
    LeaderSweeper leaderSweeper(TxRaftServer server, Clock clock, ScheduledExecutorService txScheduler,
                                TxProperties properties, MeterRegistry meterRegistry) {
        LeaderSweeper sweeper = new LeaderSweeper(server.txLog(), clock, txScheduler,
                properties.getTimeoutSweepInterval(), properties.getRetention(), meterRegistry);
        server.node().addLeadershipListener(sweeper);
        return sweeper;
    }
}
