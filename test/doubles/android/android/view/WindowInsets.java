package android.view;

import android.graphics.Insets;
import java.util.HashMap;
import java.util.Map;

/** android.view.WindowInsets, reduced to insets per type (API 30+). */
public final class WindowInsets {
    public static final WindowInsets CONSUMED = new Builder().build();

    private final Map<Integer, Insets> byType;

    private WindowInsets(Map<Integer, Insets> byType) { this.byType = byType; }

    /** Like the real one: for each side, the largest inset of any type in the mask. */
    public Insets getInsets(int typeMask) {
        int left = 0, top = 0, right = 0, bottom = 0;
        for (Map.Entry<Integer, Insets> e : byType.entrySet()) {
            if ((e.getKey() & typeMask) == 0) continue;
            Insets i = e.getValue();
            left = Math.max(left, i.left);
            top = Math.max(top, i.top);
            right = Math.max(right, i.right);
            bottom = Math.max(bottom, i.bottom);
        }
        return Insets.of(left, top, right, bottom);
    }

    /** The type masks; the bit values are those of the real WindowInsets.Type. */
    public static final class Type {
        private Type() {}

        public static int statusBars() { return 1; }

        public static int navigationBars() { return 1 << 1; }

        public static int captionBar() { return 1 << 2; }

        public static int ime() { return 1 << 3; }

        public static int systemGestures() { return 1 << 4; }

        public static int displayCutout() { return 1 << 7; }

        public static int systemBars() { return statusBars() | navigationBars() | captionBar(); }
    }

    public static final class Builder {
        private final Map<Integer, Insets> byType = new HashMap<>();

        public Builder() {}

        /** Insets of every type in the mask. */
        public Builder setInsets(int typeMask, Insets insets) {
            for (int bit = 1; bit != 0; bit <<= 1) if ((typeMask & bit) != 0) byType.put(bit, insets);
            return this;
        }

        public WindowInsets build() { return new WindowInsets(new HashMap<>(byType)); }
    }
}
