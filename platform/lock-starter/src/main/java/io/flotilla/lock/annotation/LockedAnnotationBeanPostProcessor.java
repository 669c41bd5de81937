package io.flotilla.lock.annotation;

import org.springframework.aop.framework.autoproxy.AbstractBeanFactoryAwareAdvisingPostProcessor;
import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.aop.support.annotation.AnnotationMatchingPointcut;

/**
 * Proxies beans with {@link Locked} methods, the way {@code @Async} and {@code @Validated} are applied: no AspectJ
 * and no global auto-proxy creator needed.
 */
public class LockedAnnotationBeanPostProcessor extends AbstractBeanFactoryAwareAdvisingPostProcessor {

    public LockedAnnotationBeanPostProcessor(LockedMethodInterceptor interceptor) {
        this.advisor = new DefaultPointcutAdvisor(new AnnotationMatchingPointcut(null, Locked.class, true), interceptor);
        // Outermost advice: the lock is taken before a transaction begins and released after it commits.
        setBeforeExistingAdvisors(true);
    }
}
