package io.flotilla.testsupport.redis;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Resolves {@link TestRedis} parameters: a fresh key prefix on the shared server, scoped to the test (or
 * to the class when asked for in {@code @BeforeAll}); its keys are deleted when the scope ends.
 */
public class RedisExtension implements ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(RedisExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == TestRedis.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        String key = parameter.getDeclaringExecutable() + "#" + parameter.getIndex();
        try {
            return context.getStore(NAMESPACE).computeIfAbsent(key,
                    k -> RedisServers.shared().newKeyspace(), TestRedis.class);
        } catch (RuntimeException e) {
            throw new ParameterResolutionException(e.getMessage(), e);
        }
    }
}
