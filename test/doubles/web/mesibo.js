// Test double of mesibo's JavaScript SDK, served in place of https://cdn.mesibo.com/api/mesibo.js.
// Names from mesibo-reference.md: the Mesibo class (setAppName, setListener, addListener, setAccessToken,
// setDatabase, start, getProfile(address, 0).newMessage() with .message and send()), received messages
// (isIncoming(), .message, .profile.getNameOrAddress("")) and the MESIBO_STATUS_* globals.
// Calls are recorded in window.mesiboDouble.calls; tests drive it with mesiboDouble.setStatus(status) and
// mesiboDouble.receive(from, text). Like the SDK, start() reports CONNECTING and then ONLINE later on.
(() => {
  const STATUS = {
    UNKNOWN: 0, ONLINE: 1, OFFLINE: 2, SIGNOUT: 3, AUTHFAIL: 4, STOPPED: 5,
    CONNECTING: 6, CONNECTFAILURE: 7, NONETWORK: 8, ONPREMISEERROR: 9, SUSPEND: 10,
  };
  for (const [name, value] of Object.entries(STATUS)) window[`MESIBO_STATUS_${name}`] = value;

  const double = {
    calls: [],
    listeners: [],
    status: STATUS.UNKNOWN,
    setStatus(status) {
      double.status = status;
      for (const listener of double.listeners) listener.Mesibo_onConnectionStatus?.(status);
    },
    receive(from, text) {
      const msg = {
        message: text,
        isIncoming: () => true,
        profile: { getNameOrAddress: () => from },
      };
      for (const listener of double.listeners) listener.Mesibo_onMessage?.(msg);
    },
  };
  window.mesiboDouble = double;

  window.Mesibo = class Mesibo {
    constructor() {
      double.calls.push({ call: 'new' });
    }
    setAppName(appid) {
      double.calls.push({ call: 'setAppName', appid });
    }
    setListener(listener) {
      double.calls.push({ call: 'setListener' });
      double.listeners = [listener];
    }
    addListener(listener) {
      double.calls.push({ call: 'addListener' });
      double.listeners.push(listener);
    }
    setAccessToken(token) {
      double.calls.push({ call: 'setAccessToken', token });
    }
    setDatabase(name) {
      double.calls.push({ call: 'setDatabase', name });
    }
    start() {
      double.calls.push({ call: 'start' });
      setTimeout(() => double.setStatus(STATUS.CONNECTING));
      setTimeout(() => double.setStatus(STATUS.ONLINE));
    }
    getProfile(address, type) {
      return {
        newMessage() {
          return {
            message: '',
            send() {
              double.calls.push({ call: 'send', to: address, type, message: this.message });
              // mesibo reports sent messages to Mesibo_onMessage too.
              const sent = { message: this.message, isIncoming: () => false, profile: { getNameOrAddress: () => address } };
              for (const listener of double.listeners) listener.Mesibo_onMessage?.(sent);
            },
          };
        },
      };
    }
  };
})();
