package android.widget;

import android.content.Context;
import android.text.Editable;
import testing.TestHook;

public class EditText extends TextView {
    private final StringBuilder buffer = new StringBuilder();

    public EditText(Context context) { super(context); }

    /** What typing does. */
    @TestHook
    public void type(String text) { buffer.append(text); }

    @Override
    public Editable getText() {
        return new Editable() {
            public void clear() { buffer.setLength(0); }
            public int length() { return buffer.length(); }
            public char charAt(int i) { return buffer.charAt(i); }
            public CharSequence subSequence(int start, int end) { return buffer.subSequence(start, end); }
            @Override public String toString() { return buffer.toString(); }
        };
    }
}
