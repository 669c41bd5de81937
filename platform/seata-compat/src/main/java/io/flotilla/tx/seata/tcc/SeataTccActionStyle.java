package io.flotilla.tx.seata.tcc;

import io.flotilla.tx.tcc.TccActionDefinition;
import io.flotilla.tx.tcc.TccActionStyle;
import io.seata.rm.tcc.api.BusinessActionContext;
import io.seata.rm.tcc.api.TwoPhaseBusinessAction;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;
import tools.jackson.databind.json.JsonMapper;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Seata's TCC API on the tx starter's machinery: a method with {@link TwoPhaseBusinessAction} (normally on a
 * {@code @LocalTCC} interface) is a try; its {@code commitMethod} and {@code rollbackMethod}, found with the
 * {@code commitArgsClasses} / {@code rollbackArgsClasses} (by default one {@link BusinessActionContext}), are confirm
 * and cancel. The try's {@code @BusinessActionContextParameter} values are its fence row's record, so phase two gets
 * them back in its context after any restart. {@code useTCCFence} needs no setting: the fence is always on.
 */
public final class SeataTccActionStyle implements TccActionStyle {

    private final ActionContextCodec codec;

    public SeataTccActionStyle(JsonMapper json) {
        this.codec = new ActionContextCodec(json);
    }

    @Override
    public Class<? extends Annotation> tryAnnotation() {
        return TwoPhaseBusinessAction.class;
    }

    @Override
    public TccActionDefinition define(Object target, Class<?> userClass, Method tryMethod) {
        Method declared = declaringMethod(userClass, tryMethod);
        TwoPhaseBusinessAction action = AnnotatedElementUtils.findMergedAnnotation(declared, TwoPhaseBusinessAction.class);
        List<ContextParameter> parameters = ContextParameter.of(declared, tryMethod);
        Map<String, Type> types = new LinkedHashMap<>();
        parameters.forEach(parameter -> types.put(parameter.key(), parameter.type()));
        return new SeataTccAction(action.name(), target, tryMethod, contextArgument(tryMethod), parameters, types,
                phaseTwo(userClass, tryMethod, action.commitMethod(), action.commitArgsClasses(), "commitMethod"),
                phaseTwo(userClass, tryMethod, action.rollbackMethod(), action.rollbackArgsClasses(), "rollbackMethod"),
                codec);
    }

    /** The method carrying the annotation and its parameters' annotations: the {@code @LocalTCC} interface's, or the class's own. */
    private static Method declaringMethod(Class<?> userClass, Method tryMethod) {
        for (Class<?> type : ClassUtils.getAllInterfacesForClassAsSet(userClass)) {
            Method candidate = ReflectionUtils.findMethod(type, tryMethod.getName(), tryMethod.getParameterTypes());
            if (candidate != null && candidate.isAnnotationPresent(TwoPhaseBusinessAction.class)) {
                return candidate;
            }
        }
        if (AnnotatedElementUtils.findMergedAnnotation(tryMethod, TwoPhaseBusinessAction.class) == null) {
            throw new IllegalStateException(tryMethod + " carries no @TwoPhaseBusinessAction");
        }
        return tryMethod;
    }

    private static int contextArgument(Method tryMethod) {
        Class<?>[] types = tryMethod.getParameterTypes();
        for (int i = 0; i < types.length; i++) {
            if (BusinessActionContext.class.isAssignableFrom(types[i])) {
                return i;
            }
        }
        return -1;
    }

    private static PhaseTwoMethod phaseTwo(Class<?> type, Method tryMethod, String name, Class<?>[] argumentTypes,
            String attribute) {
        Method method = ReflectionUtils.findMethod(type, name, argumentTypes);
        if (method == null) {
            throw new IllegalStateException("@TwoPhaseBusinessAction on " + tryMethod + " names " + attribute + " '"
                    + name + "', but " + type.getName() + " has no " + name + Arrays.stream(argumentTypes)
                            .map(Class::getSimpleName).toList().toString().replace('[', '(').replace(']', ')'));
        }
        ReflectionUtils.makeAccessible(method);
        return PhaseTwoMethod.of(method, type);
    }
}
