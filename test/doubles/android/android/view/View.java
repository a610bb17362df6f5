package android.view;

import android.content.Context;

public class View {
    public interface OnClickListener {
        void onClick(View v);
    }

    private OnClickListener onClick;
    private boolean enabled = true;

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
}
