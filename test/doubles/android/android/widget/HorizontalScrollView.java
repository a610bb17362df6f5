package android.widget;

import android.content.Context;
import android.view.ViewGroup;

/** android.widget.HorizontalScrollView (a FrameLayout, hence a ViewGroup), without the scrolling. */
public class HorizontalScrollView extends ViewGroup {
    public HorizontalScrollView(Context context) { super(context); }
}
