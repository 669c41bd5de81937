package io.flotilla.raft.server.config;

import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.AnnotationConfigUtils;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.ImportSelector;
import org.springframework.core.type.AnnotationMetadata;
import org.springframework.core.type.classreading.MetadataReaderFactory;

import static org.assertj.core.api.Assertions.assertThat;

class AsmConfigurationClassReadingTests {

    @Test
    void configurationClassesImportedByNameAreReadWithSpringsAsmReaderAndTheirConditionsHold() throws Exception {
        SpringApplication application = new SpringApplication(Root.class);
        application.setWebApplicationType(WebApplicationType.NONE);
        application.addInitializers(new AsmConfigurationClassReading());
        try (ConfigurableApplicationContext context = application.run("--imported.conditional=false")) {
            assertThat(context.getBean("importedByName")).isEqualTo("imported");
            assertThat(context.containsBean("conditional")).as("@ConditionalOnProperty evaluated").isFalse();

            Object readers = context.getBeanFactory()
                    .getBeanDefinition(AnnotationConfigUtils.CONFIGURATION_ANNOTATION_PROCESSOR_BEAN_NAME)
                    .getPropertyValues().get("metadataReaderFactory");
            assertThat(readers).isInstanceOf(MetadataReaderFactory.class);
            assertThat(((MetadataReaderFactory) readers).getMetadataReader(ImportedByName.class.getName()))
                    .as("Spring's ASM reader, not the class-file API's").extracting(Object::getClass)
                    .extracting(Class::getSimpleName).isEqualTo("SimpleMetadataReader");
        }
    }

    @Configuration(proxyBeanMethods = false)
    @Import(ByName.class)
    static class Root {
    }

    /** An import by class name: the configuration class parser reads it through the metadata reader factory. */
    static class ByName implements ImportSelector {

        @Override
        public String[] selectImports(AnnotationMetadata metadata) {
            return new String[] {ImportedByName.class.getName()};
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class ImportedByName {

        @Bean
        String importedByName() {
            return "imported";
        }

        @Bean
        @ConditionalOnProperty("imported.conditional")
        String conditional() {
            return "conditional";
        }
    }
}
