package io.flotilla.tx.tcc;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;

/**
 * One way of declaring TCC actions in code, run by the starter's one machinery (branch registration before the
 * try, fence row in the try's local transaction, signed phase-two endpoints, the coordinator's retries): Flotilla's
 * own {@link TccAction} ({@link FlotillaTccActionStyle}), or another API mapped onto it, such as Seata's in
 * {@code flotilla-seata-compat}. Each style is a bean; {@link TccActionRegistry} asks every one of them.
 */
public interface TccActionStyle {

    /** Marks a try method, on the method itself or on an interface method it implements. */
    Class<? extends Annotation> tryAnnotation();

    /**
     * The action that {@code tryMethod} (a method of {@code userClass} carrying {@link #tryAnnotation()}) declares
     * on {@code target}, the unproxied bean. Throws {@link IllegalStateException} naming what is wrong (a missing
     * confirm method), which stops start-up.
     */
    TccActionDefinition define(Object target, Class<?> userClass, Method tryMethod);
}
