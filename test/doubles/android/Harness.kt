// Drives the generated MainActivity like a user would and prints what happened as JSON.
// The test puts the app's package in place of __PACKAGE__ and passes two arguments: which "Log in as"
// button to tap (0-based) and the text to type and send. -Dstub.sdkInt sets the API level.
package __PACKAGE__

import android.graphics.Insets
import android.view.View
import android.view.ViewGroup
import android.view.WindowInsets
import android.widget.ArrayAdapter
import android.widget.Button
import android.widget.EditText
import android.widget.ListView
import android.widget.TextView
import com.mesibo.api.Mesibo
import com.mesibo.api.MesiboMessage

fun main(args: Array<String>) {
    val login = args[0].toInt()
    val typed = args[1]
    val activity = MainActivity()
    activity.performCreate()

    fun text(id: Int) = activity.findViewById<TextView>(id).text.toString()
    fun enabled(id: Int) = activity.findViewById<View>(id).isEnabled
    fun buttons(): List<Button> {
        val row = activity.findViewById<ViewGroup>(R.id.users)
        return (0 until row.childCount).map { row.getChildAt(it) as Button }
    }
    fun items(): List<String> {
        val adapter = activity.findViewById<ListView>(R.id.messages).adapter as ArrayAdapter<*>
        return (0 until adapter.count).map { adapter.getItem(it).toString() }
    }
    fun send(what: String) {
        activity.findViewById<EditText>(R.id.input).type(what)
        activity.findViewById<Button>(R.id.send).performClick()
    }

    val report = linkedMapOf<String, Any?>()
    report["heading"] = text(R.id.heading)
    report["usersLabel"] = text(R.id.users_label)
    report["loginLabels"] = buttons().map { it.text.toString() }
    report["statusBefore"] = text(R.id.status)
    report["sendEnabledBefore"] = enabled(R.id.send)

    buttons()[login].performClick()
    report["headingAfterLogin"] = text(R.id.heading)
    report["usersLabelAfterLogin"] = text(R.id.users_label)
    report["peerLabels"] = buttons().map { it.text.toString() }
    report["peerEnabled"] = buttons().map { it.isEnabled }

    Mesibo.emitConnectionStatus(Mesibo.STATUS_CONNECTING)
    report["statusConnecting"] = text(R.id.status)
    Mesibo.emitConnectionStatus(Mesibo.STATUS_AUTHFAIL)
    report["statusAuthfail"] = text(R.id.status)
    report["sendEnabledAuthfail"] = enabled(R.id.send)
    Mesibo.emitConnectionStatus(Mesibo.STATUS_SUSPENDED)
    report["statusSuspended"] = text(R.id.status)
    Mesibo.emitConnectionStatus(Mesibo.STATUS_ONLINE)
    report["statusOnline"] = text(R.id.status)
    report["sendEnabledOnline"] = enabled(R.id.send)

    send(typed)
    report["inputAfterSend"] = text(R.id.input)
    // Pick another peer: the first "Chat with" button that is not the current one.
    buttons().firstOrNull { it.isEnabled }?.let { other ->
        other.performClick()
        report["headingAfterPick"] = text(R.id.heading)
        report["peerEnabledAfterPick"] = buttons().map { it.isEnabled }
        send(typed)
    }
    // A rich message and a plain (data only) one, from the first user in the "Chat with" row.
    val from = buttons().first().text.toString()
    Mesibo.emitMessage(MesiboMessage.incoming(from, "hi back"))
    Mesibo.emitMessage(MesiboMessage.incomingData(from, "plain ü"))
    report["messages"] = items()

    // Edge to edge: the insets the system dispatches to the root, first with the bars and a cutout on the
    // left, then with the keyboard up. System gestures are dispatched too and must not pad anything.
    val root = activity.findViewById<View>(R.id.root)
    fun padding() = listOf(root.paddingLeft, root.paddingTop, root.paddingRight, root.paddingBottom)
    fun dispatch(ime: Int) = root.dispatchApplyWindowInsets(
        WindowInsets.Builder()
            .setInsets(WindowInsets.Type.statusBars(), Insets.of(0, 63, 0, 0))
            .setInsets(WindowInsets.Type.navigationBars(), Insets.of(0, 0, 0, 126))
            .setInsets(WindowInsets.Type.displayCutout(), Insets.of(90, 0, 0, 0))
            .setInsets(WindowInsets.Type.systemGestures(), Insets.of(30, 0, 30, 0))
            .setInsets(WindowInsets.Type.ime(), Insets.of(0, 0, 0, ime))
            .build(),
    )
    report["insetsListener"] = root.hasOnApplyWindowInsetsListener()
    report["paddingBefore"] = padding()
    dispatch(0)
    report["paddingWithBars"] = padding()
    dispatch(840)
    report["paddingWithKeyboard"] = padding()
    report["calls"] = Mesibo.calls.toList()
    println(json(report))
}

private fun json(value: Any?): String = when (value) {
    null -> "null"
    is Boolean, is Number -> value.toString()
    is Map<*, *> -> value.entries.joinToString(",", "{", "}") { json(it.key.toString()) + ":" + json(it.value) }
    is List<*> -> value.joinToString(",", "[", "]") { json(it) }
    else -> value.toString().map { c ->
        when {
            c == '"' || c == '\\' -> "\\$c"
            c < ' ' || c.code > 126 -> "\\u%04x".format(c.code)
            else -> c.toString()
        }
    }.joinToString("", "\"", "\"")
}
