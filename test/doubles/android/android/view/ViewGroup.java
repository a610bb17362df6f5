package android.view;

import android.content.Context;
import java.util.ArrayList;
import java.util.List;

/** android.view.ViewGroup, reduced to its children. */
public class ViewGroup extends View {
    private final List<View> children = new ArrayList<>();

    public ViewGroup(Context context) { super(context); }

    public void addView(View child) { children.add(child); }

    public void removeAllViews() { children.clear(); }

    public int getChildCount() { return children.size(); }

    public View getChildAt(int index) { return children.get(index); }
}
