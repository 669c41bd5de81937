package io.flotilla.tx.seata.initiator;

import io.flotilla.tx.api.TransactionMode;
import io.flotilla.tx.core.GlobalTransactionTemplate;
import io.flotilla.tx.core.XidContext;
import io.seata.spring.annotation.GlobalTransactional;
import io.seata.tm.api.transaction.NoRollbackRule;
import io.seata.tm.api.transaction.Propagation;
import io.seata.tm.api.transaction.RollbackRule;
import io.seata.tm.api.transaction.TransactionInfo;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.springframework.aop.support.AopUtils;
import org.springframework.core.annotation.AnnotatedElementUtils;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Seata's {@link GlobalTransactional} on the tx starter's {@link GlobalTransactionTemplate}: begins a TCC global
 * transaction (or joins the bound one), commits when the method returns, and when it throws rolls back, or commits
 * when the exception is one its {@code rollbackFor} / {@code noRollbackFor} rules let through (Seata's own
 * {@link TransactionInfo#rollbackOn} decides, so the rules mean what they mean in Seata); the exception is rethrown
 * either way. {@code timeoutMills} left at Seata's default uses {@code flotilla.tx.default-timeout}, as Seata uses its
 * {@code client.tm.default-global-transaction-timeout} then.
 */
public final class SeataGlobalTransactionalInterceptor implements MethodInterceptor {

    /** Seata's default {@code timeoutMills}: "not set". */
    static final int DEFAULT_TIMEOUT_MILLS = 60_000;

    private final GlobalTransactionTemplate template;

    public SeataGlobalTransactionalInterceptor(GlobalTransactionTemplate template) {
        this.template = template;
    }

    @Override
    public Object invoke(MethodInvocation invocation) throws Throwable {
        Method method = invocation.getThis() == null ? invocation.getMethod()
                : AopUtils.getMostSpecificMethod(invocation.getMethod(), invocation.getThis().getClass());
        GlobalTransactional annotation = annotation(method, invocation.getMethod());
        if (annotation.propagation() != Propagation.REQUIRED) {
            throw new UnsupportedOperationException("@GlobalTransactional(propagation = " + annotation.propagation()
                    + ") on " + method + ": flotilla-seata-compat runs REQUIRED only (begin, or join the bound transaction)");
        }
        TransactionInfo rules = rules(annotation);
        String name = annotation.name().isEmpty()
                ? method.getDeclaringClass().getSimpleName() + "." + method.getName() : annotation.name();
        int timeout = annotation.timeoutMills();
        Duration timeoutOrDefault = timeout <= 0 || timeout == DEFAULT_TIMEOUT_MILLS ? null : Duration.ofMillis(timeout);
        Throwable[] letThrough = new Throwable[1];
        Object result = template.executeThrowing(TransactionMode.TCC, timeoutOrDefault, name, transaction -> {
            try (XidContext.Scope ignored = SeataRootContext.bind(transaction.xid())) {
                return invocation.proceed();
            } catch (Throwable failure) {
                if (rules.rollbackOn(failure)) {
                    throw failure;
                }
                letThrough[0] = failure;
                return null;
            }
        });
        if (letThrough[0] != null) {
            throw letThrough[0];
        }
        return result;
    }

    private static GlobalTransactional annotation(Method method, Method invoked) {
        GlobalTransactional annotation = AnnotatedElementUtils.findMergedAnnotation(method, GlobalTransactional.class);
        if (annotation == null) {
            annotation = AnnotatedElementUtils.findMergedAnnotation(invoked, GlobalTransactional.class);
        }
        if (annotation == null) {
            annotation = AnnotatedElementUtils.findMergedAnnotation(method.getDeclaringClass(), GlobalTransactional.class);
        }
        return annotation;
    }

    private static TransactionInfo rules(GlobalTransactional annotation) {
        Set<RollbackRule> rules = new LinkedHashSet<>();
        for (Class<?> type : annotation.rollbackFor()) {
            rules.add(new RollbackRule(type));
        }
        for (String type : annotation.rollbackForClassName()) {
            rules.add(new RollbackRule(type));
        }
        for (Class<?> type : annotation.noRollbackFor()) {
            rules.add(new NoRollbackRule(type));
        }
        for (String type : annotation.noRollbackForClassName()) {
            rules.add(new NoRollbackRule(type));
        }
        TransactionInfo info = new TransactionInfo();
        info.setRollbackRules(rules);
        return info;
    }
}
