// Test double of mesibo's JavaScript SDK, served in place of mesibo.js from mesibo's CDN (src/sdk-versions.json).
// Every mesibo name it defines or calls carries, on its line, a public mesibo file that uses that name, as
// `// mesibo/<repository> <path>`, read at these commits (test/web-double.test.ts checks each one there):
//   mesibo/samples 4801044 (2026-02-21), mesibo/messenger-javascript bda029c (2026-02-25),
//   mesibo/libmesibo ea39872 (2025-07-14).
// It defines nothing else, so a starter using a name mesibo's SDK is not known to have fails as it would
// for real: a missing global or method throws, and reading a missing property (JavaScript would quietly give
// undefined) is recorded in mesiboDouble.unknown, which the tests expect to stay empty.
// Tests drive it through window.mesiboDouble, which is not mesibo's: `calls` records what the page asked,
// setStatus(status), receive(from, text, { rich }) and messageStatus(mid, status) play mesibo's side. Like
// the SDK, start() reports CONNECTING and then ONLINE, a sent message is reported to Mesibo_onMessage as
// outgoing and then to Mesibo_onMessageStatus as sent.
(() => {
  const double = {
    calls: [],
    unknown: [],
    listener: undefined,
    setStatus(status) {
      double.listener?.Mesibo_onConnectionStatus?.(status); // mesibo/samples js/basic-demo/mesibo-demo.js
    },
    receive(from, text, { rich = false } = {}) {
      const mid = double.nextMid++;
      double.listener?.Mesibo_onMessage?.(reportedMessage({ mid, peer: from, text, incoming: true, rich, status: RECEIVEDNEW })); // mesibo/samples js/basic-demo/mesibo-demo.js
    },
    /** Reports a status of the sent message `mid`, as mesibo does when the peer's device gets or reads it. */
    messageStatus(mid, status) {
      const sent = double.sent.get(mid);
      sent.status = status;
      double.listener?.Mesibo_onMessageStatus?.(reportedMessage(sent)); // mesibo/samples js/basic-demo/mesibo-demo.js
    },
    /** The messages sent, by mid. */
    sent: new Map(),
    nextMid: 1,
  };
  window.mesiboDouble = double;

  const strict = (target) =>
    new Proxy(target, {
      get(object, key, receiver) {
        if (typeof key === 'string' && !(key in object)) double.unknown.push(key);
        return Reflect.get(object, key, receiver);
      },
    });

  // The status constants mesibo's JavaScript uses by name; their values are those of mesibo/libmesibo include/mesibo.h.
  window.MESIBO_STATUS_ONLINE = 1; // mesibo/samples js/basic-demo/mesibo-demo.js
  window.MESIBO_STATUS_SIGNOUT = 3; // mesibo/messenger-javascript scripts/controller.js
  window.MESIBO_STATUS_AUTHFAIL = 4; // mesibo/samples js/basic-demo/mesibo-demo.js
  window.MESIBO_STATUS_CONNECTING = 6; // mesibo/samples js/basic-demo/mesibo-demo.js
  window.MESIBO_STATUS_CONNECTFAILURE = 7; // mesibo/samples js/basic-demo/mesibo-demo.js
  window.MESIBO_MSGSTATUS_SENT = 1; // mesibo/messenger-javascript scripts/ui.js
  window.MESIBO_MSGSTATUS_DELIVERED = 2; // mesibo/messenger-javascript scripts/ui.js
  window.MESIBO_MSGSTATUS_READ = 3; // mesibo/messenger-javascript scripts/ui.js
  const RECEIVEDNEW = 0x12; // MESIBO_MSGSTATUS_RECEIVEDNEW in mesibo/libmesibo include/mesibo.h, not used by name here

  function profile(address, groupid) {
    return strict({
      getNameOrAddress: () => address, // mesibo/samples js/basic-demo/mesibo-demo.js
      newMessage: () => outgoing(address, groupid), // mesibo/samples js/basic-demo/mesibo-demo.js
      createReadSession: (listener) => readSession(address, listener), // mesibo/samples js/basic-demo/mesibo-demo.js
    });
  }

  /** A read session of one conversation. The double keeps no messages, so read() finds none. */
  function readSession(peer, listener) {
    double.calls.push({ call: 'createReadSession', peer, listener: listener === double.listener ? 'the listener' : 'another' });
    return strict({
      enableReadReceipt(enable) { // mesibo/samples js/basic-demo/mesibo-demo.js
        double.calls.push({ call: 'enableReadReceipt', peer, enable });
      },
      read(count) { // mesibo/samples js/basic-demo/mesibo-demo.js
        double.calls.push({ call: 'read', peer, count });
        return 0;
      },
    });
  }

  /** A message as Mesibo_onMessage gets it. Rich or plain, its text is in `message`. */
  function reportedMessage({ mid, peer, text, incoming, rich, status }) {
    return strict({
      mid, // mesibo/samples js/basic-demo/mesibo-demo.js
      getStatus: () => status, // mesibo/samples js/basic-demo/mesibo-demo.js
      message: text, // mesibo/messenger-javascript scripts/controller.js
      profile: profile(peer, 0), // mesibo/samples js/basic-demo/mesibo-demo.js
      isIncoming: () => incoming, // mesibo/samples js/basic-demo/mesibo-demo.js
      isOutgoing: () => !incoming, // mesibo/samples js/basic-demo/mesibo-demo.js
      isRichMessage: () => rich, // mesibo/messenger-javascript messenger.html
    });
  }

  /** A new message from profile.newMessage(): set `message`, then send(). Its status is 0 (outbox) until sent. */
  function outgoing(to, groupid) {
    const record = { mid: double.nextMid++, peer: to, text: '', incoming: false, rich: false, status: 0 };
    return strict({
      mid: record.mid, // mesibo/samples js/basic-demo/mesibo-demo.js
      getStatus: () => record.status, // mesibo/samples js/basic-demo/mesibo-demo.js
      message: '', // mesibo/samples js/basic-demo/mesibo-demo.js
      send() { // mesibo/samples js/basic-demo/mesibo-demo.js
        double.calls.push({ call: 'send', to, groupid, message: this.message });
        record.text = this.message;
        double.sent.set(record.mid, record);
        double.listener?.Mesibo_onMessage?.(reportedMessage(record)); // mesibo/samples js/basic-demo/mesibo-demo.js
        setTimeout(() => double.messageStatus(record.mid, window.MESIBO_MSGSTATUS_SENT));
      },
    });
  }

  window.Mesibo = class Mesibo { // mesibo/samples js/basic-demo/mesibo-demo.js
    constructor() {
      double.calls.push({ call: 'new' });
      return strict(this);
    }
    setAppName(appid) { // mesibo/samples js/basic-demo/mesibo-demo.js
      double.calls.push({ call: 'setAppName', appid });
    }
    setListener(listener) { // mesibo/samples js/basic-demo/mesibo-demo.js
      double.calls.push({ call: 'setListener' });
      double.listener = listener;
    }
    setAccessToken(token) { // mesibo/samples js/basic-demo/mesibo-demo.js
      double.calls.push({ call: 'setAccessToken', token });
    }
    start() { // mesibo/samples js/basic-demo/mesibo-demo.js
      double.calls.push({ call: 'start' });
      setTimeout(() => double.setStatus(window.MESIBO_STATUS_CONNECTING));
      setTimeout(() => double.setStatus(window.MESIBO_STATUS_ONLINE));
    }
    getProfile(address, groupid) { // mesibo/samples js/basic-demo/mesibo-demo.js
      return profile(address, groupid);
    }
  };
})();
