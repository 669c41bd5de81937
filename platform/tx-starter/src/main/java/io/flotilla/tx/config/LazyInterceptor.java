package io.flotilla.tx.config;

import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.springframework.util.function.SingletonSupplier;

import java.util.function.Supplier;

/**
 * Creates the real interceptor on first use. Advisors are created before ordinary beans (the auto-proxy
 * creator asks for them early); resolving the coordinator client or a {@code DataSource} there would create
 * those beans too early, before they could themselves be post-processed.
 */
final class LazyInterceptor implements MethodInterceptor {

    private final SingletonSupplier<MethodInterceptor> delegate;

    LazyInterceptor(Supplier<MethodInterceptor> delegate) {
        this.delegate = SingletonSupplier.of(delegate);
    }

    @Override
    public Object invoke(MethodInvocation invocation) throws Throwable {
        return delegate.obtain().invoke(invocation);
    }
}
