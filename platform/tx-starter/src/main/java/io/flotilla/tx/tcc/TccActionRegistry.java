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
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds every TCC action of every {@link TccActionStyle} once the singletons exist, so that a confirm or cancel
 * arriving right after a restart (before any try ran in this process) finds its methods. A confirm or cancel
 * method that does not exist as its style requires stops the application at start-up, and so does a name used
 * twice.
 */
public final class TccActionRegistry implements SmartInitializingSingleton {

    private final ListableBeanFactory beanFactory;
    private final List<TccActionStyle> styles;
    private final Map<String, TccActionDefinition> actions = new ConcurrentHashMap<>();

    public TccActionRegistry(ListableBeanFactory beanFactory, List<TccActionStyle> styles) {
        this.beanFactory = beanFactory;
        this.styles = List.copyOf(styles);
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
                for (TccActionStyle style : styles) {
                    if (!AnnotatedElementUtils.hasAnnotation(method, style.tryAnnotation())) {
                        continue;
                    }
                    Object bean = beanFactory.getBean(beanName);
                    Object target = AopProxyUtils.getSingletonTarget(bean);
                    TccActionDefinition definition = style.define(target == null ? bean : target, userClass, method);
                    TccActionDefinition previous = found.put(definition.name(), definition);
                    if (previous != null && !previous.tryMethod().equals(method)) {
                        throw new IllegalStateException(definition.declaredAs() + " name '" + definition.name()
                                + "' is used by both " + previous.tryMethod() + " and " + method);
                    }
                }
            }
        }
        actions.putAll(found);
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
