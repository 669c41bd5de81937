package io.flotilla.tx.seata.tcc;

import io.seata.rm.tcc.api.BusinessActionContext;
import io.seata.rm.tcc.api.BusinessActionContextParameter;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/**
 * A commit or rollback method and how its arguments are made, as Seata makes them: the context for a
 * {@link BusinessActionContext} parameter, and for a parameter with {@link BusinessActionContextParameter} the
 * context's value under that name.
 */
record PhaseTwoMethod(Method method, String[] keys) {

    static PhaseTwoMethod of(Method method, Class<?> userClass) {
        Method declared = method;
        for (Class<?> type : ClassUtils.getAllInterfacesForClassAsSet(userClass)) {
            Method candidate = ReflectionUtils.findMethod(type, method.getName(), method.getParameterTypes());
            if (candidate != null) {
                declared = candidate;
                break;
            }
        }
        String[] keys = new String[method.getParameterCount()];
        for (int i = 0; i < keys.length; i++) {
            BusinessActionContextParameter annotation = ContextParameter.annotation(declared, method, i);
            keys[i] = annotation == null ? null : ContextParameter.name(annotation);
        }
        return new PhaseTwoMethod(method, keys);
    }

    /** Calls the method on {@code target}; whatever it returns, including {@code false}, is the caller's to judge. */
    Object invoke(Object target, BusinessActionContext context) throws Throwable {
        Class<?>[] types = method.getParameterTypes();
        Object[] arguments = new Object[types.length];
        for (int i = 0; i < types.length; i++) {
            if (BusinessActionContext.class.isAssignableFrom(types[i])) {
                arguments[i] = context;
            } else if (keys[i] != null) {
                arguments[i] = context.getActionContext(keys[i], ClassUtils.resolvePrimitiveIfNecessary(types[i]));
            }
        }
        try {
            return method.invoke(target, arguments);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
