package io.flotilla.lock.annotation;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import io.flotilla.lock.core.DistributedLock;
import io.flotilla.lock.core.LockAcquisitionTimeoutException;
import io.flotilla.lock.core.LockRegistry;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;

import org.springframework.aop.support.AopUtils;
import org.springframework.context.expression.MethodBasedEvaluationContext;
import org.springframework.core.DefaultParameterNameDiscoverer;
import org.springframework.core.ParameterNameDiscoverer;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.expression.Expression;
import org.springframework.expression.ExpressionParser;
import org.springframework.expression.common.TemplateParserContext;
import org.springframework.expression.spel.standard.SpelExpressionParser;

/** Wraps {@link Locked} methods in lock / unlock. Parsed name templates are cached per method. */
public final class LockedMethodInterceptor implements MethodInterceptor {

    private final Supplier<LockRegistry> registry;
    private final Supplier<Duration> defaultWait;
    private final ExpressionParser parser = new SpelExpressionParser();
    private final ParameterNameDiscoverer parameterNames = new DefaultParameterNameDiscoverer();
    private final Map<Method, Expression> names = new ConcurrentHashMap<>();

    /**
     * @param registry looked up on first use, so that the post-processor holding this interceptor does not force
     *        the registry (and the meter registry behind it) to be created early
     * @param defaultWait wait time of annotations that give none, read on use for the same reason
     */
    public LockedMethodInterceptor(Supplier<LockRegistry> registry, Supplier<Duration> defaultWait) {
        this.registry = registry;
        this.defaultWait = defaultWait;
    }

    @Override
    public Object invoke(MethodInvocation invocation) throws Throwable {
        Method method = invocation.getMethod();
        Class<?> targetClass = invocation.getThis() != null ? AopUtils.getTargetClass(invocation.getThis())
                : method.getDeclaringClass();
        Method specific = AopUtils.getMostSpecificMethod(method, targetClass);
        Locked locked = AnnotatedElementUtils.findMergedAnnotation(specific, Locked.class);
        if (locked == null) {
            return invocation.proceed();
        }
        String name = lockName(locked, specific, invocation.getArguments());
        Duration wait = locked.waitMs() < 0 ? defaultWait.get() : Duration.ofMillis(locked.waitMs());
        DistributedLock lock = registry.get().lock(name);
        OptionalLong token = locked.leaseMs() > 0 ? lock.tryLock(wait, Duration.ofMillis(locked.leaseMs()))
                : lock.tryLock(wait);
        if (token.isEmpty()) {
            throw new LockAcquisitionTimeoutException(name, wait);
        }
        Object result;
        try {
            result = invocation.proceed();
        } catch (Throwable failure) {
            try {
                lock.unlock();
            } catch (RuntimeException unlockFailure) {
                failure.addSuppressed(unlockFailure);
            }
            throw failure;
        }
        // A lease lost during the call surfaces here: the caller learns the method ran unprotected at the end.
        lock.unlock();
        return result;
    }

    private String lockName(Locked locked, Method method, Object[] arguments) {
        Expression expression = names.computeIfAbsent(method,
                key -> parser.parseExpression(locked.name(), new TemplateParserContext()));
        MethodBasedEvaluationContext context = new MethodBasedEvaluationContext(null, method, arguments, parameterNames);
        String name = expression.getValue(context, String.class);
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("@Locked name '" + locked.name() + "' on " + method + " evaluated to an empty name");
        }
        return name;
    }
}
