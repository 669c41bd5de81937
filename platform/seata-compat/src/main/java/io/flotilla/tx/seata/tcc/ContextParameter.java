package io.flotilla.tx.seata.tcc;

import io.seata.rm.tcc.api.BusinessActionContextParameter;
import org.springframework.core.ResolvableType;
import org.springframework.util.ReflectionUtils;
import org.springframework.util.StringUtils;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One value a try puts into its action context, read from its arguments as Seata's
 * {@link BusinessActionContextParameter} says: the argument itself under its {@code paramName} (or {@code value}),
 * the element at {@code index} of a list argument, or with {@code isParamInProperty} the annotated fields of the
 * argument, each under its own name.
 */
record ContextParameter(String key, int argument, int index, Field property, Type type) {

    /** The context values of a try whose parameters are {@code declared} (the interface method) and {@code own}. */
    static List<ContextParameter> of(Method declared, Method own) {
        List<ContextParameter> parameters = new ArrayList<>();
        Parameter[] declaredParameters = declared.getParameters();
        for (int i = 0; i < declaredParameters.length; i++) {
            BusinessActionContextParameter annotation = annotation(declared, own, i);
            if (annotation == null) {
                continue;
            }
            Parameter parameter = declaredParameters[i];
            if (annotation.isParamInProperty()) {
                addProperties(parameters, i, parameter.getType());
                continue;
            }
            String key = name(annotation);
            if (key == null) {
                if (!parameter.isNamePresent()) {
                    throw new IllegalStateException("@BusinessActionContextParameter on parameter " + i + " of " + declared
                            + " needs a paramName (the class was compiled without -parameters, so it has no other name)");
                }
                key = parameter.getName();
            }
            Type type = annotation.index() >= 0
                    ? ResolvableType.forMethodParameter(declared, i).asCollection().getGeneric(0).getType()
                    : parameter.getParameterizedType();
            parameters.add(new ContextParameter(key, i, annotation.index(), null, type));
        }
        return List.copyOf(parameters);
    }

    /**
     * The annotation on parameter {@code i}: on the interface method, else on the class's (Seata 2.0 itself reads
     * the implementing method's; either place works here, so code written for Seata runs unchanged).
     */
    static BusinessActionContextParameter annotation(Method declared, Method own, int i) {
        BusinessActionContextParameter annotation = declared.getParameters()[i].getAnnotation(BusinessActionContextParameter.class);
        return annotation != null ? annotation : own.getParameters()[i].getAnnotation(BusinessActionContextParameter.class);
    }

    static String name(BusinessActionContextParameter annotation) {
        if (StringUtils.hasText(annotation.paramName())) {
            return annotation.paramName();
        }
        return StringUtils.hasText(annotation.value()) ? annotation.value() : null;
    }

    private static void addProperties(List<ContextParameter> parameters, int argument, Class<?> type) {
        ReflectionUtils.doWithFields(type, field -> {
            BusinessActionContextParameter annotation = field.getAnnotation(BusinessActionContextParameter.class);
            if (annotation == null) {
                return;
            }
            ReflectionUtils.makeAccessible(field);
            String key = name(annotation);
            parameters.add(new ContextParameter(key == null ? field.getName() : key, argument, -1, field,
                    field.getGenericType()));
        });
    }

    /** Puts this value, when the try's {@code arguments} hold one, into {@code context}. */
    void putInto(Map<String, Object> context, Object[] arguments) {
        Object value = arguments[argument];
        if (value != null && property != null) {
            value = ReflectionUtils.getField(property, value);
        } else if (value instanceof List<?> list && index >= 0) {
            value = index < list.size() ? list.get(index) : null;
        }
        if (value != null) {
            context.put(key, value);
        }
    }
}
