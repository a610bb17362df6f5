"""The mesibo client of this starter: logs in, prints connection changes and incoming messages, and sends
each line typed. main.py calls run() once it has checked the Python version and config.json.

mesibo's calls and names are those of its Python package (github.com/mesibo/samples python/mesibo-demo.py).
"""
import queue
import sys
import threading
import time

import mesibo

# mesibo's connection status codes in words.
STATUS_TEXT = {
    mesibo.MESIBO_STATUS_UNKNOWN: "unknown",
    mesibo.MESIBO_STATUS_ONLINE: "online",
    mesibo.MESIBO_STATUS_OFFLINE: "offline",
    mesibo.MESIBO_STATUS_SIGNOUT: "signed out: this user logged in somewhere else",
    mesibo.MESIBO_STATUS_AUTHFAIL: "AUTHFAIL: the token or appid does not match (tokens only work with the appid they were issued for)",
    mesibo.MESIBO_STATUS_STOPPED: "stopped",
    mesibo.MESIBO_STATUS_CONNECTING: "connecting",
    mesibo.MESIBO_STATUS_CONNECTFAILURE: "connection failed, retrying",
    mesibo.MESIBO_STATUS_NONETWORK: "no network",
    mesibo.MESIBO_STATUS_ONPREMISEERROR: "on-premise server error",
    mesibo.MESIBO_STATUS_SUSPEND: "suspended: check your application in mesibo's console",
    mesibo.MESIBO_STATUS_MANDUPDATE: "mesibo requires a newer version of its package: update mesibo in requirements.txt",
}

# mesibo reports CONNECTING at once on start(); with no state at all this long after, it is not going to run.
QUIET_SECONDS = 5
# How long to wait at the end of input for mesibo to send the last messages it is sending in the background.
EXIT_GRACE_SECONDS = 5

# mesibo's callbacks print from its own thread: one lock keeps lines whole.
_output = threading.Lock()


def say(line):
    with _output:
        # One write per line: a Ctrl-C between two writes would leave the line without its end.
        sys.stdout.write(line + "\n")
        sys.stdout.flush()


def status_text(status):
    return STATUS_TEXT.get(status, f"status {status}")


def text_of(msg):
    """A rich message carries its text in `message`; a plain one only raw `data`: a str, or bytes when it
    is not UTF-8 text (mesibo.readDataAs(mesibo.MESIBO_READAS_AUTO), the package's default)."""
    if msg.isRichMessage():
        return msg.message or ""
    data = msg.data
    if isinstance(data, bytes):
        return f"<{len(data)} bytes of binary data>" if data else ""
    return data or ""


class Listener(mesibo.MesiboListener):
    """Receives mesibo's callbacks; each returns 0, as mesibo's Python listener expects."""

    # mesibo's listener class (compiled, SWIG) refuses attributes it does not know: __slots__ declares ours.
    __slots__ = ("status", "_events", "_changed", "_unsent")

    def __init__(self, events):
        super().__init__()
        self.status = None  # the last connection status mesibo reported
        self._events = events
        self._changed = threading.Condition()
        self._unsent = set()  # mids of our messages that mesibo has not reported as sent yet

    def Mesibo_onConnectionStatus(self, status):
        say(f"Connection: {status_text(status)}")
        self.status = status
        self._events.put(("status", status))
        return 0

    def Mesibo_onMessage(self, msg):
        # mesibo also hands over every message we send; show only received ones.
        if msg.isIncoming():
            text = text_of(msg)
            if text:
                say(f"{msg.peer}: {text}")
        return 0

    def Mesibo_onMessageStatus(self, msg):
        # One message reports several statuses (sent, delivered, read): the first past OUTBOX means it left.
        if msg.getStatus() != mesibo.MESIBO_MSGSTATUS_OUTBOX:
            with self._changed:
                self._unsent.discard(msg.mid)
                self._changed.notify_all()
        return 0

    def Mesibo_onMessageUpdate(self, msg):
        return 0

    def Mesibo_onPresence(self, presence):
        return 0

    def sending(self, mid):
        with self._changed:
            self._unsent.add(mid)

    def wait_until_sent(self, timeout):
        """Waits until mesibo has sent every message, at most `timeout` seconds; returns how many have not left."""
        with self._changed:
            self._changed.wait_for(lambda: not self._unsent, timeout=timeout)
            return len(self._unsent)


def read_lines(events):
    """Runs on a thread of its own, so that the connection is reported while the terminal waits for input."""
    for line in sys.stdin:
        text = line.rstrip("\r\n")
        if text:
            events.put(("line", text))
    events.put(("end", None))


def send(api, listener, peer, text):
    msg = api.newMessage(peer)
    msg.message = text
    listener.sending(msg.mid)
    msg.send()  # mesibo keeps it in its outbox until it is connected


def chat(api, listener, events, peer):
    """Sends each line until the input ends ("end"), mesibo rejects the login ("authfail") or reports no
    connection state at all within QUIET_SECONDS ("silent").

    At the end of input mesibo may still be logging in: it gets EXIT_GRACE_SECONDS to get online."""
    started = time.monotonic()
    ended = None
    while True:
        try:
            # A timeout, not a bare get(): on Windows Ctrl-C interrupts only between waits.
            kind, value = events.get(timeout=0.25)
        except queue.Empty:
            kind, value = None, None
        if kind == "status" and value == mesibo.MESIBO_STATUS_AUTHFAIL:
            return "authfail"
        if kind == "line":
            send(api, listener, peer, value)
        if kind == "end":
            ended = time.monotonic()
        now = time.monotonic()
        if listener.status is None and now - started >= QUIET_SECONDS:
            return "silent"
        if ended is not None and (listener.status == mesibo.MESIBO_STATUS_ONLINE or now - ended >= EXIT_GRACE_SECONDS):
            return "end"


def run(app_name, appid, user, token, peer, refresh_hint, no_state_hint):
    """Chats until input ends or Ctrl-C (returns 0), or until mesibo rejects the login or stays silent
    (returns 1). no_state_hint(seconds) gives the paragraph for the last case."""
    events = queue.Queue()
    api = mesibo.getInstance()
    listener = Listener(events)  # referenced here until the end: mesibo keeps no reference of its own
    api.addListener(listener)
    if api.setAccessToken(token) == mesibo.MESIBO_RESULT_FAIL:
        print(f"mesibo rejected the access token of {user!r} in config.json.\n{refresh_hint}", file=sys.stderr)
        return 1
    # The appid the token was issued for. The 2.7.1 package logs that setAppId() is deprecated (v2 tokens need
    # no appid), yet mesibo's own samples still set it after setAccessToken() (mesibo/samples
    # python/mesibo-demo.py, 2026; mesibo/python examples/first-app.py): so does this starter, whose tokens
    # are v2 tokens issued for this appid. setAppId, not their setAppName: mesibo/libmesibo include/mesibo.h
    # marks setAppName deprecated in its favour.
    api.setAppId(appid)
    say(f"{app_name}: logging in as {user}. Type a message for {peer} and press Enter; end of input or Ctrl-C quits.")
    api.start()
    threading.Thread(target=read_lines, args=(events,), daemon=True).start()
    try:
        outcome = chat(api, listener, events, peer)
    except KeyboardInterrupt:
        outcome = "interrupted"  # Ctrl-C is how a chat ends: leave at once
    if outcome == "authfail":
        print(f"Could not log in as {user!r}.\n{refresh_hint}", file=sys.stderr)
        api.stop()
        return 1
    if outcome == "silent":
        print(no_state_hint(QUIET_SECONDS), file=sys.stderr)
        api.stop()
        return 1
    online = listener.status == mesibo.MESIBO_STATUS_ONLINE
    unsent = listener.wait_until_sent(EXIT_GRACE_SECONDS if outcome == "end" and online else 0)
    if unsent:
        say(f"{unsent} message(s) not sent (connection: {status_text(api.getConnectionStatus())}); "
            "they are dropped as this program ends.")
    api.stop()
    return 0
