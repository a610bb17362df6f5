package android.view;

import android.content.Context;
import testing.TestHook;

/** android.view.View, reduced: clicks, enabled state, padding and window insets dispatch. */
public class View {
    public interface OnClickListener {
        void onClick(View v);
    }

    public interface OnApplyWindowInsetsListener {
        WindowInsets onApplyWindowInsets(View v, WindowInsets insets);
    }

    private OnClickListener onClick;
    private OnApplyWindowInsetsListener onApplyWindowInsets;
    private boolean enabled = true;
    private int paddingLeft, paddingTop, paddingRight, paddingBottom;

    public View(Context context) {}

    public void setOnClickListener(OnClickListener l) { onClick = l; }

    /** Like a tap: nothing happens on a disabled view. */
    public boolean performClick() {
        if (!enabled || onClick == null) return false;
        onClick.onClick(this);
        return true;
    }

    public void setEnabled(boolean enabled) { this.enabled = enabled; }

    public boolean isEnabled() { return enabled; }

    public void setPadding(int left, int top, int right, int bottom) {
        paddingLeft = left;
        paddingTop = top;
        paddingRight = right;
        paddingBottom = bottom;
    }

    public int getPaddingLeft() { return paddingLeft; }

    public int getPaddingTop() { return paddingTop; }

    public int getPaddingRight() { return paddingRight; }

    public int getPaddingBottom() { return paddingBottom; }

    public void setOnApplyWindowInsetsListener(OnApplyWindowInsetsListener listener) { onApplyWindowInsets = listener; }

    /** As the system does on a layout or when the bars or the keyboard change; without a listener nothing is applied. */
    public WindowInsets dispatchApplyWindowInsets(WindowInsets insets) {
        return onApplyWindowInsets == null ? insets : onApplyWindowInsets.onApplyWindowInsets(this, insets);
    }

    /** Whether a window-insets listener was set, for the harness report. */
    @TestHook
    public boolean hasOnApplyWindowInsetsListener() { return onApplyWindowInsets != null; }
}
