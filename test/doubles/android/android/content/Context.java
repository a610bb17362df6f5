package android.content;

import java.lang.reflect.Field;
import testing.TestHook;

/**
 * android.content.Context, reduced. Resources resolve to "name(args)" so a test can tell which string was
 * shown with which values.
 */
public class Context {
    public Context getApplicationContext() { return this; }

    public String getPackageName() { return System.getProperty("stub.packageName"); }

    public final String getString(int resId) { return getString(resId, new Object[0]); }

    public final String getString(int resId, Object... formatArgs) {
        StringBuilder out = new StringBuilder(resourceName("string", resId)).append('(');
        for (int i = 0; i < formatArgs.length; i++) out.append(i == 0 ? "" : ", ").append(formatArgs[i]);
        return out.append(')').toString();
    }

    /** The name of R.<type>.<name> == id in the app's R class (same package as the activity). */
    @TestHook
    public String resourceName(String type, int id) {
        try {
            Class<?> r = Class.forName(getClass().getPackage().getName() + ".R$" + type);
            for (Field f : r.getFields()) if (f.getInt(null) == id) return f.getName();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
        throw new IllegalArgumentException("no R." + type + " with id " + id);
    }

    @TestHook
    public int resourceId(String type, String name) {
        try {
            return Class.forName(getClass().getPackage().getName() + ".R$" + type).getField(name).getInt(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalArgumentException("no R." + type + "." + name, e);
        }
    }
}
