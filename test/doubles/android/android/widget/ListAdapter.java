package android.widget;

public interface ListAdapter {
    int getCount();

    Object getItem(int position);
}
