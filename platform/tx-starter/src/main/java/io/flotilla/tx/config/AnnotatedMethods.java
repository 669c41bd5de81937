package io.flotilla.tx.config;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;

/** Whether any bean of the application declares a method with a given annotation. */
final class AnnotatedMethods {

    private AnnotatedMethods() {
    }

    static boolean any(ListableBeanFactory beanFactory, Class<? extends Annotation> annotation) {
        for (String beanName : beanFactory.getBeanNamesForType(Object.class, false, false)) {
            Class<?> type = beanFactory.getType(beanName, false);
            if (type == null) {
                continue;
            }
            for (Method method : ReflectionUtils.getUniqueDeclaredMethods(ClassUtils.getUserClass(type))) {
                if (AnnotatedElementUtils.hasAnnotation(method, annotation)) {
                    return true;
                }
            }
        }
        return false;
    }
}
