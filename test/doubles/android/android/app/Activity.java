package android.app;

import android.content.Context;
import android.os.Bundle;
import android.view.View;
import android.widget.TextView;
import java.io.File;
import java.util.HashMap;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

public class Activity extends Context {
    private final Map<Integer, View> views = new HashMap<>();
    private CharSequence title = "";

    protected void onCreate(Bundle savedInstanceState) {}

    /** Test entry point: what the system does when it starts the activity. */
    public void performCreate() { onCreate(null); }

    /** Inflates res/layout/<name>.xml from the folder in -Dstub.res: tag -> widget, @+id/x -> R.id.x, text, enabled. */
    public void setContentView(int layoutResID) {
        File file = new File(System.getProperty("stub.res"), "layout/" + resourceName("layout", layoutResID) + ".xml");
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            inflate(factory.newDocumentBuilder().parse(file).getDocumentElement());
        } catch (Exception e) {
            throw new IllegalStateException("cannot inflate " + file, e);
        }
    }

    private void inflate(Element element) throws ReflectiveOperationException {
        String tag = element.getTagName();
        String pkg = tag.equals("View") ? "android.view." : "android.widget.";
        View view = (View) Class.forName(pkg + tag).getConstructor(Context.class).newInstance(this);
        String ns = "http://schemas.android.com/apk/res/android";
        String id = element.getAttributeNS(ns, "id");
        if (id.startsWith("@+id/")) views.put(resourceId("id", id.substring(5)), view);
        if (element.getAttributeNS(ns, "enabled").equals("false")) view.setEnabled(false);
        String text = element.getAttributeNS(ns, "text");
        if (text.startsWith("@string/")) ((TextView) view).setText(getString(resourceId("string", text.substring(8))));
        for (Node child = element.getFirstChild(); child != null; child = child.getNextSibling()) {
            if (child instanceof Element) inflate((Element) child);
        }
    }

    @SuppressWarnings("unchecked")
    public <T extends View> T findViewById(int id) { return (T) views.get(id); }

    public void runOnUiThread(Runnable action) { action.run(); }

    public void setTitle(CharSequence title) { this.title = title; }

    public CharSequence getTitle() { return title; }
}
