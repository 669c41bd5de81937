package io.flotilla.testsupport.db;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Resolves {@code @Db(POSTGRESQL) TestDatabase} parameters to a freshly created database. Asked for in a
 * test method (or {@code @BeforeEach}) it lives for that test; asked for in {@code @BeforeAll} it lives
 * for the class. Either way it is dropped when its scope ends, because JUnit closes stored
 * {@link AutoCloseable} values.
 */
public class DatabaseExtension implements ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(DatabaseExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == TestDatabase.class && parameter.isAnnotated(Db.class);
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        DatabaseEngine engine = parameter.findAnnotation(Db.class).orElseThrow().value();
        String key = engine + "#" + parameter.getDeclaringExecutable() + "#" + parameter.getIndex();
        try {
            return context.getStore(NAMESPACE).computeIfAbsent(key,
                    k -> DatabaseServers.server(engine).createDatabase(), TestDatabase.class);
        } catch (RuntimeException e) {
            throw new ParameterResolutionException(e.getMessage(), e);
        }
    }
}
