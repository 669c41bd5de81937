package io.flotilla.tx.initiator;

import io.flotilla.tx.core.GlobalTransactionTemplate;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.springframework.aop.support.AopUtils;
import org.springframework.core.annotation.AnnotatedElementUtils;

import java.lang.reflect.Method;
import java.time.Duration;

/** Wraps {@link GlobalTransactional} methods in {@link GlobalTransactionTemplate#executeThrowing}. */
public final class GlobalTransactionalInterceptor implements MethodInterceptor {

    private final GlobalTransactionTemplate template;

    public GlobalTransactionalInterceptor(GlobalTransactionTemplate template) {
        this.template = template;
    }

    @Override
    public Object invoke(MethodInvocation invocation) throws Throwable {
        Method method = invocation.getThis() == null ? invocation.getMethod()
                : AopUtils.getMostSpecificMethod(invocation.getMethod(), invocation.getThis().getClass());
        GlobalTransactional annotation = AnnotatedElementUtils.findMergedAnnotation(method, GlobalTransactional.class);
        if (annotation == null) {
            annotation = AnnotatedElementUtils.findMergedAnnotation(invocation.getMethod(), GlobalTransactional.class);
        }
        String name = annotation.name().isEmpty()
                ? method.getDeclaringClass().getSimpleName() + "." + method.getName() : annotation.name();
        Duration timeout = annotation.timeoutMs() > 0 ? Duration.ofMillis(annotation.timeoutMs()) : null;
        return template.executeThrowing(annotation.mode(), timeout, name, transaction -> invocation.proceed());
    }
}
