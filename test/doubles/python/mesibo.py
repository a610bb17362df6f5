"""Test double of mesibo's Python package (`import mesibo`), recording every call.

Only names from mesibo-reference.md, plus `msg.peer` (the sender of a received message; UNSURE there,
taken from mesibo's public Python examples). Calls are appended as JSON lines to $MESIBO_FAKE_LOG. Like the real
package, callbacks arrive on mesibo's own thread: after start(), CONNECTING then $MESIBO_FAKE_STATUS
(default ONLINE); when online, one incoming message from $MESIBO_FAKE_FROM saying $MESIBO_FAKE_TEXT
(if set); and for each message sent, Mesibo_onMessage (not incoming) then Mesibo_onMessageStatus.
"""
import json
import os
import queue
import re
import threading

MESIBO_RESULT_OK = 0
MESIBO_RESULT_FAIL = 0x80

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

# Real tokens are 64 characters of [0-9A-Za-z]; anything else (e.g. the .example placeholder) is refused.
_TOKEN = re.compile(r"[0-9A-Za-z]{64}")


def _record(call, **args):
    with open(os.environ["MESIBO_FAKE_LOG"], "a", encoding="utf-8") as log:
        log.write(json.dumps({"call": call, **args}) + "\n")


class MesiboListener:
    pass


class _Message:
    def __init__(self, peer, message="", incoming=False):
        self.peer = peer
        self.message = message
        self._incoming = incoming

    def isIncoming(self):
        return self._incoming

    def send(self):
        _record("send", to=self.peer, message=self.message)
        # mesibo reports sent messages to Mesibo_onMessage too, then their status.
        _instance._events.put(("message", _Message(self.peer, self.message)))
        _instance._events.put(("status", self))
        return MESIBO_RESULT_OK


class _Profile:
    def __init__(self, address):
        self._address = address

    def newMessage(self):
        return _Message(self._address)


class _Mesibo:
    def __init__(self):
        self._listeners = []
        self._events = queue.Queue()

    def addListener(self, listener):
        _record("addListener", isListener=isinstance(listener, MesiboListener))
        self._listeners.append(listener)

    def setAccessToken(self, token):
        _record("setAccessToken", token=token)
        return MESIBO_RESULT_OK if _TOKEN.fullmatch(token) else MESIBO_RESULT_FAIL

    def setAppName(self, appid):
        _record("setAppName", appid=appid)

    def setDatabase(self, name, flags):
        _record("setDatabase", name=name)

    def start(self):
        _record("start")
        status = int(os.environ.get("MESIBO_FAKE_STATUS", MESIBO_STATUS_ONLINE))
        self._events.put(("connection", MESIBO_STATUS_CONNECTING))
        self._events.put(("connection", status))
        if status == MESIBO_STATUS_ONLINE and "MESIBO_FAKE_TEXT" in os.environ:
            incoming = _Message(os.environ["MESIBO_FAKE_FROM"], os.environ["MESIBO_FAKE_TEXT"], incoming=True)
            self._events.put(("message", incoming))
        threading.Thread(target=self._run, daemon=True).start()
        return MESIBO_RESULT_OK

    def getProfile(self, address):
        return _Profile(address)

    def _run(self):
        while True:
            kind, value = self._events.get()
            for listener in self._listeners:
                if kind == "connection":
                    result = listener.Mesibo_onConnectionStatus(value)
                elif kind == "message":
                    result = listener.Mesibo_onMessage(value)
                else:
                    result = listener.Mesibo_onMessageStatus(value)
                _record("callback", kind=kind, result=result)


_instance = _Mesibo()


def getInstance():
    return _instance
