// Drives the generated MainActivity like a user would and prints what happened as JSON.
// The test puts the app's package in place of __PACKAGE__ and passes three arguments: which login button
// ("first" or "second"), the text to type and send, and the address an incoming message comes from.
package __PACKAGE__

import android.widget.ArrayAdapter
import android.widget.Button
import android.widget.EditText
import android.widget.ListView
import android.widget.TextView
import com.mesibo.api.Mesibo
import com.mesibo.api.MesiboMessage

fun main(args: Array<String>) {
    val loginAs = args[0]
    val typed = args[1]
    val incomingFrom = args[2]
    val activity = MainActivity()
    activity.performCreate()

    fun text(id: Int) = activity.findViewById<TextView>(id).text.toString()
    fun enabled(id: Int) = activity.findViewById<Button>(id).isEnabled
    fun items(): List<String> {
        val adapter = activity.findViewById<ListView>(R.id.messages).adapter as ArrayAdapter<*>
        return (0 until adapter.count).map { adapter.getItem(it).toString() }
    }

    val report = linkedMapOf<String, Any?>()
    report["loginLabels"] = listOf(text(R.id.login_first), text(R.id.login_second))
    report["statusBefore"] = text(R.id.status)
    report["sendEnabledBefore"] = enabled(R.id.send)

    activity.findViewById<Button>(if (loginAs == "first") R.id.login_first else R.id.login_second).performClick()
    report["loginEnabledAfter"] = listOf(enabled(R.id.login_first), enabled(R.id.login_second))
    report["title"] = activity.title.toString()

    Mesibo.emitConnectionStatus(Mesibo.STATUS_CONNECTING)
    report["statusConnecting"] = text(R.id.status)
    Mesibo.emitConnectionStatus(Mesibo.STATUS_AUTHFAIL)
    report["statusAuthfail"] = text(R.id.status)
    report["sendEnabledAuthfail"] = enabled(R.id.send)
    Mesibo.emitConnectionStatus(Mesibo.STATUS_ONLINE)
    report["statusOnline"] = text(R.id.status)
    report["sendEnabledOnline"] = enabled(R.id.send)

    activity.findViewById<EditText>(R.id.input).type(typed)
    activity.findViewById<Button>(R.id.send).performClick()
    report["inputAfterSend"] = text(R.id.input)
    Mesibo.emitMessage(MesiboMessage.incoming(incomingFrom, "hi back"))
    report["messages"] = items()
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
