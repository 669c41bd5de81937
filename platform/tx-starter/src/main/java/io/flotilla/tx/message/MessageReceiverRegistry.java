package io.flotilla.tx.message;

import org.springframework.aop.framework.AopProxyUtils;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

import java.lang.reflect.Method;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** Finds the {@link MessageReceiver} methods of the application's beans once they are all created. */
public final class MessageReceiverRegistry implements SmartInitializingSingleton {

    /** A receiver method and the bean it runs on (the target behind any proxy: the transaction is the starter's). */
    public record Receiver(String name, Object bean, Method method) {
    }

    private final ListableBeanFactory beanFactory;
    private volatile Map<String, Receiver> receivers = Map.of();

    public MessageReceiverRegistry(ListableBeanFactory beanFactory) {
        this.beanFactory = beanFactory;
    }

    @Override
    public void afterSingletonsInstantiated() {
        Map<String, Receiver> found = new HashMap<>();
        for (String beanName : beanFactory.getBeanNamesForType(Object.class, false, false)) {
            Class<?> type = beanFactory.getType(beanName, false);
            if (type == null) {
                continue;
            }
            for (Method method : ReflectionUtils.getUniqueDeclaredMethods(ClassUtils.getUserClass(type))) {
                MessageReceiver annotation = AnnotatedElementUtils.findMergedAnnotation(method, MessageReceiver.class);
                if (annotation == null) {
                    continue;
                }
                check(method);
                Object bean = beanFactory.getBean(beanName);
                Object target = AopProxyUtils.getSingletonTarget(bean);
                ReflectionUtils.makeAccessible(method);
                Receiver previous = found.put(annotation.name(),
                        new Receiver(annotation.name(), target == null ? bean : target, method));
                if (previous != null && !previous.method().equals(method)) {
                    throw new IllegalStateException("@MessageReceiver name '" + annotation.name() + "' is used by both "
                            + previous.method() + " and " + method);
                }
            }
        }
        receivers = Map.copyOf(found);
    }

    private static void check(Method method) {
        Class<?>[] types = method.getParameterTypes();
        boolean fits = (types.length == 1 && types[0] != ReceivedMessage.class)
                || (types.length == 2 && types[0] != ReceivedMessage.class && types[1] == ReceivedMessage.class);
        if (!fits) {
            throw new IllegalStateException("@MessageReceiver method " + method + " must take the payload, "
                    + "optionally followed by a ReceivedMessage");
        }
    }

    public Receiver get(String name) {
        Receiver receiver = receivers.get(name);
        if (receiver == null) {
            throw new UnknownMessageReceiverException(name);
        }
        return receiver;
    }

    public Set<String> names() {
        return receivers.keySet();
    }
}
