package io.flotilla.tx.xa;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs the method as an XA branch of the current global transaction on the application's {@code XADataSource}:
 * the branch is registered with the coordinator, {@code XA START}ed, the method's JDBC work (through the
 * application's {@code DataSource}, {@code JdbcTemplate} or {@code @Transactional} code) goes into it, and it is
 * {@code XA END}ed and {@code XA PREPARE}d before the method returns. The coordinator later commits or rolls
 * it back through the starter's endpoints; a prepared branch survives this process crashing, and on start-up the
 * starter asks the coordinator what became of every in-doubt branch it finds.
 */
@Documented
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
public @interface XaBranch {

    /** Resource name shown at the coordinator and in metrics. */
    String value() default "xa";
}
