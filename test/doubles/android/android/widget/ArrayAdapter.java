package android.widget;

import android.content.Context;
import java.util.ArrayList;
import java.util.List;

public class ArrayAdapter<T> implements ListAdapter {
    private final List<T> items = new ArrayList<>();

    public ArrayAdapter(Context context, int resource) {}

    public void add(T object) { items.add(object); }

    public int getCount() { return items.size(); }

    public T getItem(int position) { return items.get(position); }
}
