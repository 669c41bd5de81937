package io.flotilla.tx.tcc;

import org.springframework.aop.framework.AopProxyUtils;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

import java.lang.reflect.Method;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds every {@link TccAction} once the singletons exist, so that a confirm or cancel arriving right after a
 * restart (before any try ran in this process) finds its methods. A confirm or cancel method that does not exist
 * with the try's parameter types stops the application at start-up.
 */
public final class TccActionRegistry implements SmartInitializingSingleton {

    private final ListableBeanFactory beanFactory;
    private final Map<String, TccActionDefinition> actions = new ConcurrentHashMap<>();

    public TccActionRegistry(ListableBeanFactory beanFactory) {
        this.beanFactory = beanFactory;
    }

    @Override
    public void afterSingletonsInstantiated() {
        Map<String, TccActionDefinition> found = new HashMap<>();
        for (String beanName : beanFactory.getBeanNamesForType(Object.class, false, false)) {
            Class<?> type = beanFactory.getType(beanName, false);
            if (type == null) {
                continue;
            }
            Class<?> userClass = ClassUtils.getUserClass(type);
            for (Method method : ReflectionUtils.getUniqueDeclaredMethods(userClass)) {
                TccAction action = AnnotatedElementUtils.findMergedAnnotation(method, TccAction.class);
                if (action == null) {
                    continue;
                }
                Object bean = beanFactory.getBean(beanName);
                Object target = AopProxyUtils.getSingletonTarget(bean);
                TccActionDefinition definition = new TccActionDefinition(action.name(), target == null ? bean : target,
                        method, companion(userClass, method, action.confirm(), "confirm"),
                        companion(userClass, method, action.cancel(), "cancel"));
                TccActionDefinition previous = found.put(action.name(), definition);
                if (previous != null && !previous.tryMethod().equals(method)) {
                    throw new IllegalStateException("@TccAction name '" + action.name() + "' is used by both "
                            + previous.tryMethod() + " and " + method);
                }
            }
        }
        actions.putAll(found);
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

    public TccActionDefinition get(String name) {
        TccActionDefinition definition = actions.get(name);
        if (definition == null) {
            throw new UnknownTccResourceException(name);
        }
        return definition;
    }

    public Collection<TccActionDefinition> all() {
        return actions.values();
    }
}
