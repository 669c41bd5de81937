package io.flotilla.tx.tcc;

import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.ReflectionUtils;

import java.lang.annotation.Annotation;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/**
 * Flotilla's own {@link TccAction}: confirm and cancel are methods of the same bean with the try's parameters, and
 * get the try's arguments back (kept as JSON in the fence row).
 */
public final class FlotillaTccActionStyle implements TccActionStyle {

    private final TccArgumentCodec codec;

    public FlotillaTccActionStyle(TccArgumentCodec codec) {
        this.codec = codec;
    }

    @Override
    public Class<? extends Annotation> tryAnnotation() {
        return TccAction.class;
    }

    @Override
    public TccActionDefinition define(Object target, Class<?> userClass, Method tryMethod) {
        TccAction action = AnnotatedElementUtils.findMergedAnnotation(tryMethod, TccAction.class);
        if (action == null) {
            throw new IllegalStateException(tryMethod + " carries no @TccAction");
        }
        return new Action(action.name(), target, tryMethod, companion(userClass, tryMethod, action.confirm(), "confirm"),
                companion(userClass, tryMethod, action.cancel(), "cancel"), codec);
    }

    private static Method companion(Class<?> type, Method tryMethod, String name, String role) {
        Method method = ReflectionUtils.findMethod(type, name, tryMethod.getParameterTypes());
        if (method == null) {
            throw new IllegalStateException("@TccAction on " + tryMethod + " names " + role + " method '" + name
                    + "', but " + type.getName() + " has no " + name + " with the same parameter types as the try");
        }
        ReflectionUtils.makeAccessible(method);
        return method;
    }

    private record Action(String name, Object target, Method tryMethod, Method confirmMethod, Method cancelMethod,
            TccArgumentCodec codec) implements TccActionDefinition {

        @Override
        public String recordTry(Object[] arguments, String xid, String branchId) {
            return codec.encode(arguments);
        }

        @Override
        public void confirm(String record, String xid, String branchId) throws Throwable {
            invoke(confirmMethod, record);
        }

        @Override
        public void cancel(String record, String xid, String branchId) throws Throwable {
            invoke(cancelMethod, record);
        }

        private void invoke(Method method, String record) throws Throwable {
            try {
                method.invoke(target, codec.decode(record, tryMethod));
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }
    }
}
