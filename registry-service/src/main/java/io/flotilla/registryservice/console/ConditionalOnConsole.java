package io.flotilla.registryservice.console;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** The console's beans and pages exist unless {@code flotilla.registry.server.console.enabled=false}. */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ConditionalOnBooleanProperty(name = ConsoleProperties.PREFIX + ".enabled", matchIfMissing = true)
@interface ConditionalOnConsole {
}
