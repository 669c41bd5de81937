package io.flotilla.txcoordinator.support;

import io.flotilla.testsupport.time.ManualClock;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

/**
 * The coordinator's clock as a {@link ManualClock} that follows real time, for in-process tests that move time
 * forward and run a sweep instead of waiting (Raft elections and heartbeats still need time to pass by itself).
 * A test takes it with {@code @Import(ManualClockConfiguration.class)} and {@code @Autowired ManualClock}.
 */
@TestConfiguration(proxyBeanMethods = false)
public class ManualClockConfiguration {

    @Bean
    @Primary
    ManualClock manualClock() {
        return ManualClock.ofSystemTime();
    }
}
