package io.flotilla.lock.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs the method while holding a distributed lock. The name is a SpEL template over the method's parameters,
 * for example {@code @Locked(name = "order:#{#userId}", waitMs = 2000)}. Inside the method, the hold's fencing
 * token is {@code lockRegistry.lock(sameName).fencingToken()}; pass it to the resource you write.
 *
 * <p>When the lock is not acquired in time the method is not called and a
 * {@link io.flotilla.lock.core.LockAcquisitionTimeoutException} is thrown.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface Locked {

    /** Lock name: literal text with {@code #{...}} SpEL parts; parameters are {@code #name} or {@code #p0}. */
    String name();

    /** How long to wait for the lock, in ms; negative means {@code flotilla.lock.default-wait}. */
    long waitMs() default -1;

    /** Lease in ms without renewal; zero or negative means the default lease renewed by the watchdog. */
    long leaseMs() default -1;
}
