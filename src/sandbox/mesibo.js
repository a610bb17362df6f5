// create-mesibo-app's local sandbox: the part of mesibo's JavaScript API that the web starter uses, carried by
// the sandbox on this computer (`create-mesibo-app sandbox`), not by mesibo. Served as /mesibo.js by the sandbox,
// which fills in the relay's address below. It shows a banner saying so on the page.
//
// Every mesibo name it defines or calls carries, on its line, a public mesibo file that uses that name, as
// `// mesibo/<repository> <path>`, read at these commits (test/sandbox-names.test.ts checks each one there):
//   mesibo/samples 4801044 (2026-02-21), mesibo/messenger-javascript bda029c (2026-02-25),
//   mesibo/libmesibo ea39872 (2025-07-14).
// Only the names, never mesibo's code: the behaviour is this sandbox's own, after mesibo's documentation.
// Any other name throws an Error that names it and says it is not emulated: nothing is silently ignored.
(function (relayUrl) {
  'use strict';

  // mesibo's status values, as mesibo/libmesibo include/mesibo.h defines them.
  window.MESIBO_STATUS_ONLINE = 1; // mesibo/samples js/basic-demo/mesibo-demo.js
  window.MESIBO_STATUS_OFFLINE = 2; // mesibo/samples python/mesibo-demo.py
  window.MESIBO_STATUS_SIGNOUT = 3; // mesibo/samples js/basic-demo/mesibo-demo.js
  window.MESIBO_STATUS_AUTHFAIL = 4; // mesibo/samples js/basic-demo/mesibo-demo.js
  window.MESIBO_STATUS_CONNECTING = 6; // mesibo/samples js/basic-demo/mesibo-demo.js
  window.MESIBO_STATUS_CONNECTFAILURE = 7; // mesibo/samples js/basic-demo/mesibo-demo.js
  window.MESIBO_MSGSTATUS_OUTBOX = 0; // mesibo/libmesibo include/mesibo.h
  window.MESIBO_MSGSTATUS_SENT = 1; // mesibo/messenger-javascript scripts/ui.js
  window.MESIBO_MSGSTATUS_DELIVERED = 2; // mesibo/messenger-javascript scripts/ui.js
  window.MESIBO_MSGSTATUS_READ = 3; // mesibo/messenger-javascript scripts/ui.js
  window.MESIBO_MSGSTATUS_RECEIVEDNEW = 0x12; // mesibo/messenger-javascript scripts/ui.js
  window.MESIBO_MSGSTATUS_RECEIVEDREAD = 0x13; // mesibo/messenger-javascript scripts/ui.js

  /** The relay closes with this code after AUTHFAIL (src/sandbox/relay.ts): no retry, as with a bad token. */
  const AUTHFAIL_CLOSE = 4004;
  /** Sent messages whose statuses are still awaited, at most. */
  const MAX_SENT = 10000;

  function notEmulated(name) {
    return new Error(
      `${name} is not emulated by create-mesibo-app's local sandbox, which implements only what the web starter ` +
        "uses (the web starter's README lists it). Use mesibo's own SDK, with real tokens, for it.",
    );
  }

  // Names a browser, a debugger or a framework may look for on any object: absent, as on a plain object.
  const PROBES = new Set(['then', 'toJSON', 'constructor', 'toString', 'valueOf', 'nodeType', '$$typeof', 'asymmetricMatch', 'inspect']);

  /** `target` as a page sees it: reading or setting any name it does not have throws. */
  function strict(kind, target) {
    return new Proxy(target, {
      get(object, key, receiver) {
        if (typeof key === 'string' && !(key in object) && !PROBES.has(key)) throw notEmulated(`${kind}.${key}`);
        return Reflect.get(object, key, receiver);
      },
      set(object, key, value, receiver) {
        if (typeof key === 'string' && !(key in object)) throw notEmulated(`${kind}.${key}`);
        return Reflect.set(object, key, value, receiver);
      },
    });
  }

  function showBanner() {
    const show = () => {
      if (document.getElementById('mesibo-sandbox-banner')) return;
      const banner = document.createElement('div');
      banner.id = 'mesibo-sandbox-banner';
      banner.setAttribute('role', 'note');
      banner.textContent = "local sandbox, not mesibo: messages go through create-mesibo-app's emulator on this computer only";
      banner.style.cssText =
        'position:sticky;top:0;z-index:2147483647;padding:4px 8px;background:#fff3cd;color:#5c4400;' +
        'border-bottom:1px solid #e0c36a;font:13px/1.4 system-ui,sans-serif;text-align:center';
      document.body.prepend(banner);
    };
    if (document.body) show();
    else document.addEventListener('DOMContentLoaded', show);
  }

  const randomMid = () => Math.floor(Math.random() * 2 ** 52) + 1;

  /** The state of one Mesibo object, out of the page's reach. */
  const states = new WeakMap();

  function setStatus(state, status) {
    if (state.status === status) return;
    state.status = status;
    state.listener?.Mesibo_onConnectionStatus?.(status); // mesibo/samples js/basic-demo/mesibo-demo.js
  }

  function sendFrame(state, frame) {
    if (state.status === window.MESIBO_STATUS_ONLINE && state.socket?.readyState === 1) state.socket.send(JSON.stringify(frame));
    else state.outbox.push(frame); // like mesibo's outbox: sent once online
  }

  /** Connecting is reported on start(); retries after a drop stay offline until the sandbox answers again. */
  function connect(state, retrying = false) {
    clearTimeout(state.retry);
    if (state.stopped) return;
    if (!retrying) setStatus(state, window.MESIBO_STATUS_CONNECTING);
    let socket;
    try {
      socket = new WebSocket(relayUrl);
    } catch {
      state.retry = setTimeout(() => connect(state, true), 1000);
      return;
    }
    state.socket = socket;
    socket.onopen = () => socket.send(JSON.stringify({ t: 'hello', appid: state.appId, token: state.token }));
    socket.onmessage = (event) => receive(state, JSON.parse(event.data));
    socket.onerror = () => {}; // a close follows: onclose retries
    socket.onclose = (event) => {
      if (state.socket !== socket) return;
      state.socket = undefined;
      if (state.stopped || event.code === AUTHFAIL_CLOSE) return;
      // The sandbox stopped (or was never started): offline, then connecting again until it is back.
      setStatus(state, window.MESIBO_STATUS_OFFLINE);
      state.retry = setTimeout(() => connect(state, true), Math.min(500 * 2 ** state.attempts++, 3000));
    };
  }

  function receive(state, frame) {
    if (frame.t === 'status') {
      if (frame.status === window.MESIBO_STATUS_ONLINE) state.attempts = 0;
      setStatus(state, frame.status);
      if (frame.status === window.MESIBO_STATUS_ONLINE) for (const queued of state.outbox.splice(0)) sendFrame(state, queued);
    } else if (frame.t === 'msg') {
      sendFrame(state, { t: 'ack', mid: frame.mid, from: frame.from });
      // The sandbox hands a message again when the page it went to closed before acknowledging it.
      const seen = `${frame.from}\n${frame.mid}`;
      if (state.received.has(seen)) return;
      state.received.add(seen);
      const msg = message(state, { peer: frame.from, mid: frame.mid, text: frame.text, incoming: true });
      const session = state.sessions.get(frame.from);
      if (session?.receipts) markRead(state, msg);
      else state.unread.push(msg);
      state.listener?.Mesibo_onMessage?.(msg); // mesibo/samples js/basic-demo/mesibo-demo.js
    } else if (frame.t === 'msgstatus') {
      const msg = state.sent.get(frame.mid);
      if (!msg) return;
      states.get(msg).status = frame.status;
      if (frame.status === window.MESIBO_MSGSTATUS_READ) state.sent.delete(frame.mid);
      state.listener?.Mesibo_onMessageStatus?.(msg); // mesibo/samples js/basic-demo/mesibo-demo.js
    }
  }

  function markRead(state, msg) {
    const own = states.get(msg);
    own.status = window.MESIBO_MSGSTATUS_RECEIVEDREAD;
    sendFrame(state, { t: 'read', mid: own.mid, from: own.peer });
  }

  /** A message as Mesibo_onMessage and Mesibo_onMessageStatus get it, or as newMessage() makes it. */
  function message(state, { peer, mid, text, incoming }) {
    const own = { mid, peer, incoming, status: incoming ? window.MESIBO_MSGSTATUS_RECEIVEDNEW : window.MESIBO_MSGSTATUS_OUTBOX };
    const msg = strict('message', {
      message: text, // mesibo/samples js/basic-demo/mesibo-demo.js
      mid, // mesibo/samples js/basic-demo/mesibo-demo.js
      profile: profile(state, peer), // mesibo/samples js/basic-demo/mesibo-demo.js
      isIncoming: () => own.incoming, // mesibo/samples js/basic-demo/mesibo-demo.js
      isOutgoing: () => !own.incoming, // mesibo/samples js/basic-demo/mesibo-demo.js
      isRealtimeMessage: () => true, // mesibo/samples js/basic-demo/mesibo-demo.js
      getStatus: () => own.status, // mesibo/samples js/basic-demo/mesibo-demo.js
      send() { // mesibo/samples js/basic-demo/mesibo-demo.js
        if (own.incoming || own.sentOnce) throw new Error('message.send(): this message was already sent or received; make a new one with profile.newMessage()');
        own.sentOnce = true;
        if (typeof msg.message !== 'string') throw notEmulated('message.send() of anything but text in message.message');
        state.sent.set(own.mid, msg);
        if (state.sent.size > MAX_SENT) state.sent.delete(state.sent.keys().next().value);
        sendFrame(state, { t: 'send', mid: own.mid, to: peer, text: msg.message });
        // mesibo reports the messages a page sends to Mesibo_onMessage too, as outgoing.
        state.listener?.Mesibo_onMessage?.(msg); // mesibo/samples js/basic-demo/mesibo-demo.js
      },
    });
    states.set(msg, own);
    return msg;
  }

  function readSession(state, peer) {
    const session = { receipts: false };
    return strict('readSession', {
      enableReadReceipt(enable) { // mesibo/samples js/basic-demo/mesibo-demo.js
        session.receipts = Boolean(enable);
        if (session.receipts) state.sessions.set(peer, session);
        else if (state.sessions.get(peer) === session) state.sessions.delete(peer);
      },
      read(count) { // mesibo/samples js/basic-demo/mesibo-demo.js
        // No database: no stored message to report. Messages from this peer received so far count as read.
        if (session.receipts) {
          const now = state.unread.filter((m) => m.profile.getNameOrAddress('') === peer);
          state.unread = state.unread.filter((m) => !now.includes(m));
          for (const msg of now.slice(-Math.max(0, Number(count) || 0))) markRead(state, msg);
        }
        return 0;
      },
    });
  }

  function profile(state, address) {
    return strict('profile', {
      getNameOrAddress: () => address, // mesibo/samples js/basic-demo/mesibo-demo.js
      newMessage: () => message(state, { peer: address, mid: randomMid(), text: '', incoming: false }), // mesibo/samples js/basic-demo/mesibo-demo.js
      createReadSession: () => readSession(state, address), // mesibo/samples js/basic-demo/mesibo-demo.js
    });
  }

  window.Mesibo = class Mesibo { // mesibo/samples js/basic-demo/mesibo-demo.js
    constructor() {
      const api = strict('Mesibo', this);
      states.set(api, { status: undefined, listener: undefined, outbox: [], sent: new Map(), sessions: new Map(), unread: [], received: new Set(), attempts: 0 });
      return api;
    }
    setAppName(appid) { // mesibo/samples js/basic-demo/mesibo-demo.js
      states.get(this).appId = String(appid);
    }
    setListener(listener) { // mesibo/samples js/basic-demo/mesibo-demo.js
      states.get(this).listener = listener;
    }
    setAccessToken(token) { // mesibo/samples js/basic-demo/mesibo-demo.js
      states.get(this).token = String(token);
    }
    setDatabase(name, callback) { // mesibo/samples js/basic-demo/mesibo-demo.js
      // Accepted, and nothing is stored: the sandbox keeps messages only while it runs.
      if (callback !== undefined) throw notEmulated('Mesibo.setDatabase() with a callback');
    }
    start() { // mesibo/samples js/basic-demo/mesibo-demo.js
      const state = states.get(this);
      state.stopped = false;
      connect(state);
    }
    stop() { // mesibo/messenger-javascript scripts/controller.js
      const state = states.get(this);
      state.stopped = true;
      clearTimeout(state.retry);
      state.socket?.close();
      state.socket = undefined;
      setStatus(state, window.MESIBO_STATUS_OFFLINE);
    }
    getProfile(address, groupid) { // mesibo/samples js/basic-demo/mesibo-demo.js
      if (groupid) throw notEmulated('Mesibo.getProfile() of a group (groupid other than 0)');
      return profile(states.get(this), String(address));
    }
  };

  showBanner();
})('ws://127.0.0.1:8092/relay');
