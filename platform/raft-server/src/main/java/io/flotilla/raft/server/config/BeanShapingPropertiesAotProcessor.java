package io.flotilla.raft.server.config;

import org.springframework.beans.factory.aot.BeanFactoryInitializationAotContribution;
import org.springframework.beans.factory.aot.BeanFactoryInitializationAotProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * At build time (Spring AOT's processing of a Raft service), writes the values of the
 * {@link BeanShapingProperties} the generated bean definitions were made with into a resource beside them.
 * Registered in {@code META-INF/spring/aot.factories}.
 */
public class BeanShapingPropertiesAotProcessor implements BeanFactoryInitializationAotProcessor {

    @Override
    public BeanFactoryInitializationAotContribution processAheadOfTime(ConfigurableListableBeanFactory beanFactory) {
        ConfigurableEnvironment environment = beanFactory.getBean(ConfigurableEnvironment.class);
        String recorded = BeanShapingProperties.text(BeanShapingProperties.of(environment));
        return (generationContext, code) ->
                generationContext.getGeneratedFiles().addResourceFile(BeanShapingProperties.RESOURCE, recorded);
    }
}
