package io.flotilla.tx.tcc;

import java.lang.reflect.Method;

/** One declared TCC action: the bean (unproxied target) and its try, confirm and cancel methods. */
public record TccActionDefinition(String name, Object target, Method tryMethod, Method confirmMethod, Method cancelMethod) {
}
