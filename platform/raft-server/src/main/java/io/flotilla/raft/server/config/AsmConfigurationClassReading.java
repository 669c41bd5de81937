package io.flotilla.raft.server.config;

import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.BeanDefinitionRegistryPostProcessor;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.AnnotationConfigUtils;
import org.springframework.context.event.ContextRefreshedEvent;
import org.springframework.core.Ordered;
import org.springframework.core.PriorityOrdered;
import org.springframework.core.io.Resource;
import org.springframework.core.io.ResourceLoader;
import org.springframework.core.type.classreading.MetadataReader;
import org.springframework.core.type.classreading.MetadataReaderFactory;
import org.springframework.core.type.classreading.SimpleMetadataReaderFactory;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Has Spring read the configuration classes (the application's and the auto-configurations it imports, about 110
 * to 120 classes per service) with its own ASM-based reader instead of the JDK's class-file API, which Spring
 * Framework 7 picks by itself on JDK 24 and later.
 *
 * <p>Why: parsing the configuration classes is the largest single step of a Raft service's start ({@code
 * spring.context.config-classes.parse}, 40 % of the context's start-up time on its own, Spring's
 * {@code BufferingApplicationStartup}), and with the class-file API it runs the JDK's general-purpose class-file
 * model, many small objects and lambdas, interpreted at first and then compiled by C2 during the start because the
 * AOT cache's training data says so. Spring's ASM reader visits the same class files in one pass with a small
 * parser: the same metadata for less CPU before readiness (docs/benchmarks.md, "Ready fast": 6 to 10 % of a
 * service's CPU to readiness).
 * The readers are cached for the refresh, as Spring Boot's shared reader factory does, and dropped after it.
 *
 * <p>The service's {@code main} adds it to its {@code SpringApplication}, as it does {@link RenamedPropertyPrefix}.
 */
public class AsmConfigurationClassReading implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        CachingAsmReaders readers = new CachingAsmReaders(new SimpleMetadataReaderFactory(context));
        context.addBeanFactoryPostProcessor(new ReaderInstaller(readers));
        context.addApplicationListener(event -> {
            if (event instanceof ContextRefreshedEvent) {
                readers.clear();
            }
        });
    }

    /**
     * Sets the readers on the context's configuration class post-processor as a property of its bean definition,
     * applied after the processor is created, so after Spring Boot's own shared reader factory is set on it too.
     */
    private record ReaderInstaller(MetadataReaderFactory readers)
            implements BeanDefinitionRegistryPostProcessor, PriorityOrdered {

        @Override
        public void postProcessBeanDefinitionRegistry(BeanDefinitionRegistry registry) {
            String name = AnnotationConfigUtils.CONFIGURATION_ANNOTATION_PROCESSOR_BEAN_NAME;
            if (registry.containsBeanDefinition(name)) {
                registry.getBeanDefinition(name).getPropertyValues().add("metadataReaderFactory", readers);
            }
        }

        @Override
        public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
        }

        @Override
        public int getOrder() {
            return Ordered.HIGHEST_PRECEDENCE;
        }
    }

    /** Each class file is read once per refresh: conditions and imports ask for the same classes many times. */
    private static final class CachingAsmReaders implements MetadataReaderFactory {

        private final SimpleMetadataReaderFactory reader;
        private final Map<Object, MetadataReader> cache = new ConcurrentHashMap<>();

        CachingAsmReaders(SimpleMetadataReaderFactory reader) {
            this.reader = reader;
        }

        @Override
        public MetadataReader getMetadataReader(String className) throws IOException {
            return cached(className, () -> reader.getMetadataReader(className));
        }

        @Override
        public MetadataReader getMetadataReader(Resource resource) throws IOException {
            return cached(resource, () -> reader.getMetadataReader(resource));
        }

        private MetadataReader cached(Object key, ReaderRead read) throws IOException {
            MetadataReader cached = cache.get(key);
            if (cached == null) {
                cached = read.read();
                cache.put(key, cached);
            }
            return cached;
        }

        @Override
        public ResourceLoader getResourceLoader() {
            return reader.getResourceLoader();
        }

        void clear() {
            cache.clear();
        }

        /** Reads one class file; the reader's own methods throw the checked {@link IOException}. */
        private interface ReaderRead {
            MetadataReader read() throws IOException;
        }
    }
}
