// Test double of mesibo's JavaScript SDK, served in place of mesibo.js from mesibo's CDN (src/sdk-versions.json).
// Every mesibo name it defines or calls carries, on its line, a public mesibo file that uses that name, as
// `// mesibo/<repository> <path>`, read at these commits (test/web-double.test.ts checks each one there):
//   mesibo/samples 4801044 (2026-02-21), mesibo/messenger-javascript bda029c (2026-02-25),
//   mesibo/libmesibo ea39872 (2025-07-14).
// It defines nothing else, so a starter using a name mesibo's SDK is not known to have fails as it would
// for real: a missing global or method throws, and reading a missing property (JavaScript would quietly give
// undefined) is recorded in mesiboDouble.unknown, which the tests expect to stay empty.
// Tests drive it through window.mesiboDouble, which is not mesibo's: `calls` records what the page asked,
// setStatus(status) and receive(from, text, { rich }) play mesibo's side. Like the SDK, start() reports
// CONNECTING and then ONLINE, and a sent message is reported to Mesibo_onMessage as outgoing.
(() => {
  const double = {
    calls: [],
    unknown: [],
    listener: undefined,
    setStatus(status) {
      double.listener?.Mesibo_onConnectionStatus?.(status); // mesibo/samples js/basic-demo/mesibo-demo.js
    },
    receive(from, text, { rich = false } = {}) {
      double.listener?.Mesibo_onMessage?.(reportedMessage({ peer: from, text, incoming: true, rich })); // mesibo/samples js/basic-demo/mesibo-demo.js
    },
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

  function profile(address, groupid) {
    return strict({
      getNameOrAddress: () => address, // mesibo/samples js/basic-demo/mesibo-demo.js
      newMessage: () => outgoing(address, groupid), // mesibo/samples js/basic-demo/mesibo-demo.js
    });
  }

  /** A message as Mesibo_onMessage gets it. Rich or plain, its text is in `message`. */
  function reportedMessage({ peer, text, incoming, rich }) {
    return strict({
      message: text, // mesibo/messenger-javascript scripts/controller.js
      profile: profile(peer, 0), // mesibo/samples js/basic-demo/mesibo-demo.js
      isIncoming: () => incoming, // mesibo/samples js/basic-demo/mesibo-demo.js
      isOutgoing: () => !incoming, // mesibo/samples js/basic-demo/mesibo-demo.js
      isRichMessage: () => rich, // mesibo/messenger-javascript messenger.html
    });
  }

  /** A new message from profile.newMessage(): set `message`, then send(). */
  function outgoing(to, groupid) {
    return strict({
      message: '', // mesibo/samples js/basic-demo/mesibo-demo.js
      send() { // mesibo/samples js/basic-demo/mesibo-demo.js
        double.calls.push({ call: 'send', to, groupid, message: this.message });
        double.listener?.Mesibo_onMessage?.(reportedMessage({ peer: to, text: this.message, incoming: false, rich: false })); // mesibo/samples js/basic-demo/mesibo-demo.js
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
