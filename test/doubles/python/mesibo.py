"""Test double of mesibo's Python package (`import mesibo`), recording every call.

Every public name here carries the file of mesibo's public code it comes from, and
test/python-real-sdk.test.ts proves each one exists in the real package (mesibo 2.7.1 from PyPI).
Names starting with `_` are this double's own machinery.

Calls are appended as JSON lines to $MESIBO_FAKE_LOG. Behaviour, as seen from the real package:
- start(): CONNECTING, then $MESIBO_FAKE_STATUS (default ONLINE; "none" reports nothing, as mesibo
  2.7.1 does since 2026-11-21), on the double's own thread like mesibo's.
- when online, from $MESIBO_FAKE_FROM: a rich message whose text is in `message` ($MESIBO_FAKE_RICH)
  and a plain one whose text is only in `data` ($MESIBO_FAKE_PLAIN), each if set.
- send(): the message is handed to Mesibo_onMessage at once, on the caller's thread and as a plain
  message (the real package does both); it waits in the outbox until online, then, one message after
  the other, each takes $MESIBO_FAKE_SEND_MS milliseconds (default 0) to reach the server
  ("transmitted" in the log) and reports SENT, DELIVERED and READ to Mesibo_onMessageStatus.
"""
import json
import os
import queue
import re
import threading
import time

# Result codes: mesibo/libmesibo include/mesibo.h; the package compares with MESIBO_RESULT_FAIL
# in mesibo/samples python/mesibo-demo.py.
MESIBO_RESULT_OK = 0
MESIBO_RESULT_FAIL = 0x80

# Connection status: mesibo/libmesibo include/mesibo.h (ONLINE, OFFLINE, CONNECTING, CONNECTFAILURE and
# AUTHFAIL are used in mesibo/samples python/mesibo-demo.py).
MESIBO_STATUS_UNKNOWN = 0
MESIBO_STATUS_ONLINE = 1
MESIBO_STATUS_OFFLINE = 2
MESIBO_STATUS_SIGNOUT = 3
MESIBO_STATUS_AUTHFAIL = 4
MESIBO_STATUS_STOPPED = 5
MESIBO_STATUS_CONNECTING = 6
MESIBO_STATUS_CONNECTFAILURE = 7
MESIBO_STATUS_NONETWORK = 8
MESIBO_STATUS_ONPREMISEERROR = 9
MESIBO_STATUS_SUSPEND = 10
MESIBO_STATUS_MANDUPDATE = 21

# Message status: mesibo/libmesibo include/mesibo.h (isSent/isDelivered/isReadByPeer in mesibo-demo.py).
MESIBO_MSGSTATUS_OUTBOX = 0
MESIBO_MSGSTATUS_SENT = 1
MESIBO_MSGSTATUS_DELIVERED = 2
MESIBO_MSGSTATUS_READ = 3
MESIBO_MSGSTATUS_RECEIVEDNEW = 0x12

# Real tokens are 64 characters of [0-9A-Za-z]; anything else (e.g. the .example placeholder) is refused.
_TOKEN = re.compile(r"[0-9A-Za-z]{64}")
_mids = iter(range(1000, 10**9))


def _record(call, **args):
    with open(os.environ["MESIBO_FAKE_LOG"], "a", encoding="utf-8") as log:
        log.write(json.dumps({"call": call, **args}) + "\n")


class MesiboListener:
    """mesibo/samples python/mesibo-demo.py: `from mesibo import MesiboListener`, subclassed."""


class MesiboMessage:
    """mesibo/samples python/mesibo-demo.py: what api.newMessage() returns and Mesibo_onMessage receives."""

    peer = ""  # include/mesibo.h MesiboMessageProperties::peer: the other party
    mid = 0  # mesibo-demo.py msg.mid
    message = None  # mesibo-demo.py msg.message: the text of a rich message
    data = ""  # mesibo-demo.py msg.data: the content of a plain message

    def __init__(self, peer, message=None, data="", status=MESIBO_MSGSTATUS_OUTBOX, rich=False):
        self.peer, self.message, self.data = peer, message, data
        self.mid = next(_mids)
        self._status, self._rich = status, rich

    def isIncoming(self):  # mesibo-demo.py
        return int(self._status == MESIBO_MSGSTATUS_RECEIVEDNEW)

    def isRichMessage(self):  # mesibo-demo.py
        return int(self._rich)

    def getStatus(self):  # include/mesibo.h MesiboMessageProperties::getStatus
        return self._status

    def send(self):  # mesibo-demo.py msg.send()
        _record("send", to=self.peer, message=self.message)
        _instance._deliver("message", MesiboMessage(self.peer, data=self.message or ""), here=True)
        _instance._queue.put(("outgoing", self))
        return MESIBO_RESULT_OK


class Mesibo:
    """mesibo/samples python/mesibo-demo.py: the object mesibo.getInstance() returns."""

    def __init__(self):
        self._listeners = []
        self._queue = queue.Queue()
        self._status = MESIBO_STATUS_UNKNOWN
        self._outbox = []

    def addListener(self, listener):  # mesibo-demo.py
        _record("addListener", isListener=isinstance(listener, MesiboListener))
        self._listeners.append(listener)
        return MESIBO_RESULT_OK

    def setAccessToken(self, token):  # mesibo-demo.py
        _record("setAccessToken", token=token)
        return MESIBO_RESULT_OK if _TOKEN.fullmatch(token) else MESIBO_RESULT_FAIL

    def setAppId(self, appid):  # include/mesibo.h Mesibo::setAppId (setAppName there is deprecated for it)
        _record("setAppId", appid=appid)

    def getConnectionStatus(self):  # include/mesibo.h Mesibo::getConnectionStatus
        return self._status

    def newMessage(self, peer):  # mesibo-demo.py api.newMessage("18005551111")
        return MesiboMessage(peer)

    def start(self):  # mesibo-demo.py
        _record("start")
        status = os.environ.get("MESIBO_FAKE_STATUS", str(MESIBO_STATUS_ONLINE))
        if status != "none":
            self._queue.put(("connection", MESIBO_STATUS_CONNECTING))
            self._queue.put(("connection", int(status)))
        threading.Thread(target=self._run, daemon=True).start()
        return MESIBO_RESULT_OK

    def stop(self):  # include/mesibo.h Mesibo::stop
        _record("stop")
        return MESIBO_RESULT_OK

    def _deliver(self, kind, value, here=False):
        for listener in self._listeners:
            callback = {"connection": "Mesibo_onConnectionStatus", "message": "Mesibo_onMessage"}.get(kind, "Mesibo_onMessageStatus")
            _record("callback", kind=kind, result=getattr(listener, callback)(value), here=here)

    def _incoming(self):
        sender = os.environ.get("MESIBO_FAKE_FROM", "")
        if "MESIBO_FAKE_RICH" in os.environ:
            text = os.environ["MESIBO_FAKE_RICH"]
            self._deliver("message", MesiboMessage(sender, message=text, status=MESIBO_MSGSTATUS_RECEIVEDNEW, rich=True))
        if "MESIBO_FAKE_PLAIN" in os.environ:
            text = os.environ["MESIBO_FAKE_PLAIN"]
            self._deliver("message", MesiboMessage(sender, data=text, status=MESIBO_MSGSTATUS_RECEIVEDNEW))

    def _transmit(self, msg):
        time.sleep(int(os.environ.get("MESIBO_FAKE_SEND_MS", "0")) / 1000)
        _record("transmitted", to=msg.peer, message=msg.message)
        for status in (MESIBO_MSGSTATUS_SENT, MESIBO_MSGSTATUS_DELIVERED, MESIBO_MSGSTATUS_READ):
            msg._status = status
            self._deliver("status", msg)

    def _run(self):
        while True:
            kind, value = self._queue.get()
            if kind == "connection":
                self._status = value
                self._deliver(kind, value)
                if value == MESIBO_STATUS_ONLINE:
                    self._incoming()
                    while self._outbox:
                        self._transmit(self._outbox.pop(0))
            elif self._status == MESIBO_STATUS_ONLINE:
                self._transmit(value)
            else:
                self._outbox.append(value)


_instance = Mesibo()


def getInstance():  # mesibo-demo.py: api = mesibo.getInstance()
    return _instance
