package testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks what a double adds for the harness only (driving it, reading it back). Everything else in the
 * Android framework doubles must exist in the real android-all jar: SignatureCheck.java proves it and
 * skips only what carries this mark.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.FIELD, ElementType.CONSTRUCTOR})
public @interface TestHook {}
