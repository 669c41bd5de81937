package io.flotilla.tx.tcc;

import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.springframework.aop.support.AopUtils;
import org.springframework.util.ClassUtils;

import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Runs the tries of one {@link TccActionStyle} through the {@link TccTryExecutor}. The executor is looked up on
 * first use: advisors are created before ordinary beans, and resolving the coordinator client or a
 * {@code DataSource} there would create those beans too early, before they could themselves be post-processed.
 */
public final class TccActionInterceptor implements MethodInterceptor {

    private final TccActionStyle style;
    private final Supplier<TccTryExecutor> executor;
    private final Map<Method, TccActionDefinition> actions = new ConcurrentHashMap<>();

    public TccActionInterceptor(TccActionStyle style, Supplier<TccTryExecutor> executor) {
        this.style = style;
        this.executor = executor;
    }

    @Override
    public Object invoke(MethodInvocation invocation) throws Throwable {
        Object target = invocation.getThis();
        Method method = target == null ? invocation.getMethod()
                : AopUtils.getMostSpecificMethod(invocation.getMethod(), target.getClass());
        TccActionDefinition action = actions.computeIfAbsent(method,
                tryMethod -> style.define(target, target == null ? tryMethod.getDeclaringClass()
                        : ClassUtils.getUserClass(target), tryMethod));
        return executor.get().run(action, invocation.getArguments(), invocation::proceed);
    }
}
