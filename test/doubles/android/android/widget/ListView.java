package android.widget;

import android.content.Context;
import android.view.ViewGroup;

public class ListView extends ViewGroup {
    private ListAdapter adapter;

    public ListView(Context context) { super(context); }

    public void setAdapter(ListAdapter adapter) { this.adapter = adapter; }

    public ListAdapter getAdapter() { return adapter; }
}
