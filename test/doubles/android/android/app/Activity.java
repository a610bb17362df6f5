package android.app;

import android.content.Context;
import android.os.Bundle;
import android.view.View;
import android.view.ViewGroup;
import android.widget.TextView;
import java.io.File;
import java.util.HashMap;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import testing.TestHook;

/** android.app.Activity, reduced; every member not marked @TestHook exists in the real class (SignatureCheck). */
public class Activity extends Context {
    private final Map<Integer, View> views = new HashMap<>();

    protected void onCreate(Bundle savedInstanceState) {}

    /** What the system does when it starts the activity. */
    @TestHook
    public void performCreate() { onCreate(null); }

    /**
     * Inflates res/layout/<name>.xml from the folder in -Dstub.res: tag -> widget, children added to their
     * parent, @+id/x -> R.id.x, text, enabled, padding (dp at density 1), so a layout/code mismatch fails
     * as it would on a device.
     */
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

    private View inflate(Element element) throws ReflectiveOperationException {
        String tag = element.getTagName();
        String pkg = tag.equals("View") ? "android.view." : "android.widget.";
        View view = (View) Class.forName(pkg + tag).getConstructor(Context.class).newInstance(this);
        String ns = "http://schemas.android.com/apk/res/android";
        String id = element.getAttributeNS(ns, "id");
        if (id.startsWith("@+id/")) views.put(resourceId("id", id.substring(5)), view);
        if (element.getAttributeNS(ns, "enabled").equals("false")) view.setEnabled(false);
        String padding = element.getAttributeNS(ns, "padding");
        if (padding.endsWith("dp")) {
            int px = Integer.parseInt(padding.substring(0, padding.length() - 2));
            view.setPadding(px, px, px, px);
        }
        String text = element.getAttributeNS(ns, "text");
        if (text.startsWith("@string/")) ((TextView) view).setText(getString(resourceId("string", text.substring(8))));
        for (Node child = element.getFirstChild(); child != null; child = child.getNextSibling()) {
            if (child instanceof Element) ((ViewGroup) view).addView(inflate((Element) child));
        }
        return view;
    }

    @SuppressWarnings("unchecked")
    public <T extends View> T findViewById(int id) { return (T) views.get(id); }

    public void runOnUiThread(Runnable action) { action.run(); }
}
