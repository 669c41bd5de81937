package io.flotilla.lock.config;

import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.flotilla.lock.annotation.Locked;
import io.flotilla.lock.annotation.LockedAnnotationBeanPostProcessor;
import io.flotilla.lock.core.DefaultLockRegistry;
import io.flotilla.lock.core.DistributedLock;
import io.flotilla.lock.core.LockAcquisitionTimeoutException;
import io.flotilla.lock.core.LockBackend;
import io.flotilla.lock.core.LockListener;
import io.flotilla.lock.core.LockRegistry;
import io.flotilla.lock.metrics.LockMetrics;
import io.flotilla.lock.redis.RedisLockBackend;
import io.flotilla.lock.redlock.RedlockBackend;
import io.flotilla.lock.registry.RegistryLockBackend;
import io.flotilla.registry.config.RegistryClientAutoConfiguration;
import io.flotilla.testsupport.PortProbe;
import io.flotilla.testsupport.redis.RedisExtension;
import io.flotilla.testsupport.redis.RedisServerProcess;
import io.flotilla.testsupport.redis.TestRedis;
import io.lettuce.core.RedisClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@ExtendWith(RedisExtension.class)
class LockAutoConfigurationTests {

    private ApplicationContextRunner runner(TestRedis redis) {
        return new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, LockAutoConfiguration.class))
            .withPropertyValues("spring.data.redis.url=" + redis.uri(), "flotilla.lock.key-prefix=" + redis.keyPrefix());
    }

    @Test
    void redisBackendRunsOnTheSpringDataRedisConnectionWithItsPassword() throws Exception {
        try (RedisServerProcess server = RedisServerProcess.start()) {
            RedisClient admin = RedisClient.create(server.uri());
            try (var connection = admin.connect()) {
                connection.sync().configSet("requirepass", "lock-secret");
            } finally {
                admin.shutdown();
            }
            new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, LockAutoConfiguration.class))
                .withPropertyValues("spring.data.redis.host=127.0.0.1", "spring.data.redis.port=" + server.port(),
                        "spring.data.redis.password=lock-secret")
                .run(context -> {
                    RedisLockBackend backend = context.getBean(RedisLockBackend.class);
                    assertThat(backend.toString()).contains("127.0.0.1:" + server.port());
                    assertThat(((LettuceConnectionFactory) context.getBean(RedisConnectionFactory.class))
                        .getRequiredNativeClient()).isNotNull();
                    LockRegistry registry = context.getBean(LockRegistry.class);
                    DistributedLock lock = registry.lock("on-spring-data-redis");
                    long token = lock.lock();
                    // A waiter in another thread is woken by the release message over the same client's pub/sub.
                    CompletableFuture<OptionalLong> waiter = CompletableFuture.supplyAsync(() -> {
                        try {
                            return registry.lock("on-spring-data-redis").tryLock(Duration.ofSeconds(30));
                        } catch (InterruptedException e) {
                            throw new IllegalStateException(e);
                        }
                    });
                    lock.unlock();
                    OptionalLong next = waiter.get(60, TimeUnit.SECONDS);
                    assertThat(next).isPresent();
                    assertThat(next.getAsLong()).isGreaterThan(token);
                });
        }
    }

    @Test
    @SuppressWarnings("deprecation")
    void deprecatedRedisUriStillGivesTheBackendAClientOfItsOwn(TestRedis redis) {
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(LockAutoConfiguration.class))
            .withPropertyValues("flotilla.lock.redis.uri=" + redis.uri(), "flotilla.lock.key-prefix=" + redis.keyPrefix())
            .run(context -> {
                assertThat(context.getBean(LockProperties.class).getRedis().getUri()).isEqualTo(redis.uri());
                DistributedLock lock = context.getBean(LockRegistry.class).lock("deprecated-uri");
                lock.lock();
                lock.unlock();
            });
    }

    @Test
    void redisBackendWithoutAConnectionFactorySaysWhatToSet() {
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(LockAutoConfiguration.class))
            .run(context -> assertThat(context).hasFailed()
                .getFailure()
                .rootCause()
                .hasMessageContaining("spring.data.redis"));
    }

    @Test
    void unknownBackendNamesTheValidOnes(TestRedis redis) {
        runner(redis).withPropertyValues("flotilla.lock.backend=registery")
            .run(context -> assertThat(context).hasFailed()
                .getFailure()
                .rootCause()
                .isInstanceOf(UnknownLockBackendException.class)
                .hasMessageContaining("registery")
                .hasMessageContaining("redis, redlock, registry, jdbc"));
    }

    @Test
    void redisBackendRegistryAndAnnotationSupportByDefault(TestRedis redis) {
        runner(redis).run(context -> {
            assertThat(context).hasSingleBean(RedisLockBackend.class)
                .hasSingleBean(DefaultLockRegistry.class)
                .hasSingleBean(LockedAnnotationBeanPostProcessor.class);
            assertThat(context.getBean(LockListener.class)).isSameAs(LockListener.NONE);
            DistributedLock lock = context.getBean(LockRegistry.class).lock("config");
            long token = lock.lock();
            assertThat(context.getBean(LockBackend.class).inspect("config")).get()
                .satisfies(state -> assertThat(state.fencingToken()).isEqualTo(token));
            lock.unlock();
        });
    }

    @Test
    void propertiesAreBound(TestRedis redis) {
        runner(redis).withPropertyValues("flotilla.lock.lease=5s", "flotilla.lock.default-wait=250ms",
                "flotilla.lock.redis.command-timeout=1s", "flotilla.lock.annotation-enabled=false")
            .run(context -> {
                LockProperties properties = context.getBean(LockProperties.class);
                assertThat(properties.getLease()).isEqualTo(Duration.ofSeconds(5));
                assertThat(properties.getDefaultWait()).isEqualTo(Duration.ofMillis(250));
                assertThat(properties.getRedis().getCommandTimeout()).isEqualTo(Duration.ofSeconds(1));
                assertThat(context).doesNotHaveBean(LockedAnnotationBeanPostProcessor.class);
            });
    }

    @Test
    void redlockBackendFromProperties(TestRedis redis) {
        String uris = "redis://127.0.0.1:" + PortProbe.freePort() + ",redis://127.0.0.1:" + PortProbe.freePort()
                + ",redis://127.0.0.1:" + PortProbe.freePort();
        runner(redis).withPropertyValues("flotilla.lock.backend=redlock", "flotilla.lock.redlock.uris=" + uris,
                "flotilla.lock.redlock.node-timeout=50ms")
            .run(context -> {
                assertThat(context).hasSingleBean(RedlockBackend.class).doesNotHaveBean(RedisLockBackend.class);
                assertThat(context.getBean(RedlockBackend.class).quorum()).isEqualTo(2);
            });
    }

    @Test
    void registryBackendUsesTheRegistryStartersClient(TestRedis redis) {
        runner(redis).withConfiguration(AutoConfigurations.of(RegistryClientAutoConfiguration.class))
            .withPropertyValues("flotilla.lock.backend=registry",
                    "flotilla.registry.addresses=http://127.0.0.1:" + PortProbe.freePort(),
                    "flotilla.lock.registry.key-prefix=test/locks/")
            .run(context -> {
                assertThat(context).hasSingleBean(RegistryLockBackend.class).doesNotHaveBean(RedisLockBackend.class);
                assertThat(context.getBean(LockProperties.class).getRegistry().getKeyPrefix()).isEqualTo("test/locks/");
            });
    }

    @Test
    void registryBackendWithoutAClientSaysWhatIsMissing(TestRedis redis) {
        runner(redis).withPropertyValues("flotilla.lock.backend=registry")
            .run(context -> assertThat(context).hasFailed()
                .getFailure()
                .rootCause()
                .hasMessageContaining("flotilla.registry.addresses"));
    }

    @Test
    void redlockWithFewerThanThreeServersFailsWithTheProperty(TestRedis redis) {
        runner(redis).withPropertyValues("flotilla.lock.backend=redlock", "flotilla.lock.redlock.uris=" + redis.uri())
            .run(context -> assertThat(context).hasFailed()
                .getFailure()
                .rootCause()
                .hasMessageContaining("flotilla.lock.redlock.uris"));
    }

    @Test
    void applicationBackendReplacesTheConfiguredOne(TestRedis redis) {
        runner(redis).withUserConfiguration(OwnBackend.class).run(context -> {
            assertThat(context).hasSingleBean(LockBackend.class);
            assertThat(context.getBean(LockBackend.class)).isSameAs(context.getBean("ownBackend"));
        });
    }

    @Test
    void metersCountAcquisitionsWaitsAndTimeouts(TestRedis redis) {
        runner(redis).withBean(MeterRegistry.class, SimpleMeterRegistry::new).run(context -> {
            assertThat(context.getBean(LockListener.class)).isInstanceOf(LockMetrics.class);
            LockRegistry registry = context.getBean(LockRegistry.class);
            DistributedLock lock = registry.lock("metered");
            lock.lock();
            OptionalLong other = CompletableFuture.supplyAsync(() -> {
                try {
                    return registry.lock("metered").tryLock(Duration.ofMillis(100));
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }).get(30, TimeUnit.SECONDS);
            lock.unlock();
            assertThat(other).isEmpty();
            MeterRegistry meters = context.getBean(MeterRegistry.class);
            assertThat(meters.get("flotilla.lock.acquire").tags("backend", "redis", "outcome", "acquired").timer().count())
                .isEqualTo(1);
            assertThat(meters.get("flotilla.lock.timeouts").counter().count()).isEqualTo(1);
            assertThat(meters.get("flotilla.lock.waits").counter().count()).isEqualTo(1);
            assertThat(meters.get("flotilla.lock.leases.lost").counter().count()).isZero();
        });
    }

    @Test
    void lockedMethodRunsUnderItsLockNamedFromItsParameters(TestRedis redis) {
        runner(redis).withUserConfiguration(OrderServiceConfiguration.class).run(context -> {
            OrderService orders = context.getBean(OrderService.class);
            LockRegistry registry = context.getBean(LockRegistry.class);
            long first = orders.place("42");
            long second = orders.place("42");
            assertThat(second).isGreaterThan(first);
            assertThat(registry.lock("order:42").isHeldByCurrentThread()).isFalse();
            assertThat(context.getBean(LockBackend.class).inspect("order:42")).isEmpty();
        });
    }

    @Test
    void lockedMethodIsNotCalledWhenTheLockIsNotAcquiredInTime(TestRedis redis) {
        runner(redis).withUserConfiguration(OrderServiceConfiguration.class).run(context -> {
            OrderService orders = context.getBean(OrderService.class);
            LockRegistry registry = context.getBean(LockRegistry.class);
            CountDownLatch held = new CountDownLatch(1);
            CountDownLatch done = new CountDownLatch(1);
            Thread holder = new Thread(() -> {
                try {
                    DistributedLock lock = registry.lock("order:7");
                    lock.lock();
                    held.countDown();
                    done.await();
                    lock.unlock();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            holder.start();
            held.await();
            assertThatThrownBy(() -> orders.placeQuickly("7")).isInstanceOf(LockAcquisitionTimeoutException.class)
                .hasMessageContaining("order:7");
            done.countDown();
            holder.join();
            assertThat(orders.calls()).isZero();
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnBackend {

        @Bean
        LockBackend ownBackend(LockProperties properties, org.springframework.core.env.Environment environment) {
            return new RedisLockBackend(environment.getProperty("spring.data.redis.url"), properties.getKeyPrefix() + "own:",
                    Duration.ofSeconds(2));
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OrderServiceConfiguration {

        @Bean
        OrderService orderService(org.springframework.beans.factory.ObjectProvider<LockRegistry> registry) {
            return new OrderService(registry);
        }
    }

    static class OrderService {

        private final AtomicInteger calls = new AtomicInteger();
        private final org.springframework.beans.factory.ObjectProvider<LockRegistry> registry;

        OrderService(org.springframework.beans.factory.ObjectProvider<LockRegistry> registry) {
            this.registry = registry;
        }

        /** Returns the fencing token it ran under, after checking it holds the lock. */
        @Locked(name = "order:#{#userId}", waitMs = 10_000)
        public long place(String userId) {
            DistributedLock lock = registry.getObject().lock("order:" + userId);
            assertThat(lock.isHeldByCurrentThread()).isTrue();
            return lock.fencingToken();
        }

        public int calls() {
            return calls.get();
        }

        @Locked(name = "order:#{#p0}", waitMs = 100)
        public void placeQuickly(String userId) {
            calls.incrementAndGet();
        }
    }
}
