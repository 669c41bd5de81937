package io.flotilla.test;

import java.util.List;

import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.TestContextAnnotationUtils;

/** Turns {@link EmbeddedFlotilla @EmbeddedFlotilla} on a test class into a {@link EmbeddedFlotillaContextCustomizer}. */
class EmbeddedFlotillaContextCustomizerFactory implements ContextCustomizerFactory {

    @Override
    public ContextCustomizer createContextCustomizer(Class<?> testClass,
            List<ContextConfigurationAttributes> configAttributes) {
        EmbeddedFlotilla annotation = TestContextAnnotationUtils.findMergedAnnotation(testClass, EmbeddedFlotilla.class);
        return annotation == null ? null
                : new EmbeddedFlotillaContextCustomizer(annotation.registry(), annotation.coordinator());
    }
}
