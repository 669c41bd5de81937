package io.flotilla.lock.config;

import io.flotilla.lock.annotation.LockedAnnotationBeanPostProcessor;
import io.flotilla.lock.annotation.LockedMethodInterceptor;
import io.flotilla.lock.core.DefaultLockRegistry;
import io.flotilla.lock.core.LockBackend;
import io.flotilla.lock.core.LockListener;
import io.flotilla.lock.core.LockRegistry;
import io.flotilla.lock.jdbc.JdbcLockBackend;
import io.flotilla.lock.metrics.LockMetrics;
import io.flotilla.lock.redis.RedisLockBackend;
import io.flotilla.lock.redlock.RedlockBackend;
import io.flotilla.lock.registry.RegistryLockBackend;
import io.flotilla.registry.client.RegistryClient;
import io.micrometer.core.instrument.MeterRegistry;

import javax.sql.DataSource;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.sql.init.dependency.DatabaseInitializationDependencyConfigurer;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Role;
import org.springframework.core.env.Environment;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * Auto-configures a {@link LockRegistry} on the backend chosen by {@code flotilla.lock.backend}, lock meters when
 * Micrometer is present, and {@code @Locked} methods. Every bean backs off when the application defines its own;
 * an application {@link LockBackend} bean replaces the configured backend.
 */
@AutoConfiguration(afterName = "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration")
@EnableConfigurationProperties(LockProperties.class)
public class LockAutoConfiguration {

    /** The single-server Redis backend (the default), on Spring Data Redis's connection factory. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(name = "flotilla.lock.backend", havingValue = "redis", matchIfMissing = true)
    static class RedisBackendConfiguration {

        @Bean
        @ConditionalOnMissingBean(LockBackend.class)
        RedisLockBackend flotillaRedisLockBackend(LockProperties properties,
                ObjectProvider<RedisConnectionFactory> connectionFactory) {
            return RedisLockBackends.create(properties, connectionFactory);
        }
    }

    /** Says which backends there are, instead of failing later on a missing LockBackend bean. */
    @Configuration(proxyBeanMethods = false)
    @Conditional(UnknownLockBackendCondition.class)
    static class UnknownBackendConfiguration {

        @Bean
        @ConditionalOnMissingBean(LockBackend.class)
        LockBackend flotillaLockBackend(Environment environment) {
            throw new UnknownLockBackendException(environment.getProperty(UnknownLockBackendCondition.PROPERTY));
        }
    }

    /** RedLock over independent servers. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(name = "flotilla.lock.backend", havingValue = "redlock")
    static class RedlockBackendConfiguration {

        @Bean
        @ConditionalOnMissingBean(LockBackend.class)
        RedlockBackend flotillaRedlockBackend(LockProperties properties) {
            if (properties.getRedlock().getUris().size() < 3) {
                throw new IllegalArgumentException("flotilla.lock.backend=redlock needs at least 3 independent servers "
                        + "in flotilla.lock.redlock.uris, got " + properties.getRedlock().getUris());
            }
            return new RedlockBackend(properties.getRedlock().getUris(), properties.getKeyPrefix(),
                    properties.getRedlock().getNodeTimeout());
        }
    }

    /** Sequential keys on the registry's consistent core, over the registry starter's client. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(name = "flotilla.lock.backend", havingValue = "registry")
    @ConditionalOnClass(RegistryClient.class)
    static class RegistryBackendConfiguration {

        @Bean
        @ConditionalOnMissingBean(LockBackend.class)
        RegistryLockBackend flotillaRegistryLockBackend(ObjectProvider<RegistryClient> client, LockProperties properties) {
            RegistryClient registry = client.getIfAvailable();
            if (registry == null) {
                throw new IllegalStateException("flotilla.lock.backend=registry needs a RegistryClient bean: keep "
                        + "flotilla.registry.enabled=true and set flotilla.registry.addresses");
            }
            LockProperties.Registry settings = properties.getRegistry();
            return settings.isLeasePerAcquisition()
                    ? RegistryLockBackend.perAcquisition(registry, settings.getKeyPrefix())
                    : RegistryLockBackend.withSession(registry, settings.getKeyPrefix(), settings.getSessionTtl());
        }
    }

    /** Says what is missing instead of failing later on a missing LockBackend bean. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(name = "flotilla.lock.backend", havingValue = "registry")
    @ConditionalOnMissingClass("io.flotilla.registry.client.RegistryClient")
    static class MissingRegistryClientConfiguration {

        @Bean
        @ConditionalOnMissingBean(LockBackend.class)
        LockBackend flotillaRegistryLockBackend() {
            throw new IllegalStateException("flotilla.lock.backend=registry needs io.flotilla:"
                    + "flotilla-registry-spring-boot-starter on the class path");
        }
    }

    /**
     * A lock table in the application's {@link DataSource}; the table is created by {@link JdbcLockSchemaInitializer}
     * as {@code flotilla.lock.jdbc.initialize-schema} says.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(name = "flotilla.lock.backend", havingValue = "jdbc")
    @ConditionalOnClass(name = "org.springframework.boot.jdbc.init.DataSourceScriptDatabaseInitializer")
    @EnableConfigurationProperties(JdbcLockProperties.class)
    @Import(DatabaseInitializationDependencyConfigurer.class)
    static class JdbcBackendConfiguration {

        @Bean
        @ConditionalOnMissingBean
        JdbcLockSchemaInitializer flotillaJdbcLockSchemaInitializer(ObjectProvider<DataSource> dataSource,
                JdbcLockProperties properties) {
            return new JdbcLockSchemaInitializer(requireDataSource(dataSource), properties);
        }

        @Bean
        @ConditionalOnMissingBean(LockBackend.class)
        @DependsOnDatabaseInitialization
        JdbcLockBackend flotillaJdbcLockBackend(ObjectProvider<DataSource> dataSource, JdbcLockProperties properties) {
            return JdbcLockBackend.create(requireDataSource(dataSource), properties.getTableName(),
                    properties.getPollInterval());
        }

        private static DataSource requireDataSource(ObjectProvider<DataSource> dataSource) {
            DataSource unique = dataSource.getIfUnique();
            if (unique == null) {
                throw new IllegalStateException("flotilla.lock.backend=jdbc needs one DataSource bean: add "
                        + "spring-boot-starter-jdbc and a JDBC driver, and set spring.datasource.url");
            }
            return unique;
        }
    }

    /** Says what is missing instead of failing later on a missing LockBackend bean. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(name = "flotilla.lock.backend", havingValue = "jdbc")
    @ConditionalOnMissingClass("org.springframework.boot.jdbc.init.DataSourceScriptDatabaseInitializer")
    static class MissingJdbcConfiguration {

        @Bean
        @ConditionalOnMissingBean(LockBackend.class)
        LockBackend flotillaJdbcLockBackend() {
            throw new IllegalStateException("flotilla.lock.backend=jdbc needs org.springframework.boot:"
                    + "spring-boot-starter-jdbc and a JDBC driver on the class path");
        }
    }

    /** Lock meters, when Micrometer is on the class path and a meter registry is defined. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(MeterRegistry.class)
    static class LockMetricsConfiguration {

        @Bean
        @ConditionalOnMissingBean
        LockListener flotillaLockListener(ObjectProvider<MeterRegistry> meterRegistry, LockBackend backend) {
            MeterRegistry registry = meterRegistry.getIfAvailable();
            return registry != null ? new LockMetrics(registry, backend.type()) : LockListener.NONE;
        }
    }

    @Bean
    @ConditionalOnMissingBean
    LockListener flotillaLockListener() {
        return LockListener.NONE;
    }

    @Bean
    @ConditionalOnMissingBean(LockRegistry.class)
    DefaultLockRegistry flotillaLockRegistry(LockBackend backend, LockProperties properties, LockListener listener) {
        return new DefaultLockRegistry(backend, properties.getLease(), listener);
    }

    @Bean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    @ConditionalOnMissingBean
    @ConditionalOnBooleanProperty(name = "flotilla.lock.annotation-enabled", matchIfMissing = true)
    static LockedAnnotationBeanPostProcessor flotillaLockedAnnotationBeanPostProcessor(
            ObjectProvider<LockRegistry> registry, ObjectProvider<LockProperties> properties) {
        return new LockedAnnotationBeanPostProcessor(new LockedMethodInterceptor(registry::getObject,
                () -> properties.getObject().getDefaultWait()));
    }
}
