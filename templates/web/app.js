// mesibo web starter: log in as one user (?user=<address>) and message the others. The appid, the users'
// access tokens and the address of mesibo's SDK come from config.js (git-ignored), which `npm start` hands
// to this page only.

// mesibo's connection status codes in words: the values of its MESIBO_STATUS_* constants, the same on every
// platform (mesibo/libmesibo include/mesibo.h: MESIBO_STATUS_ONLINE is 1, MESIBO_STATUS_AUTHFAIL 4...).
const STATUS_TEXT = {
  0: 'unknown',
  1: 'online',
  2: 'offline',
  3: 'signed out: this user logged in somewhere else',
  4: 'AUTHFAIL: the token or appid does not match (tokens only work with the appid they were issued for)',
  5: 'stopped',
  6: 'connecting',
  7: 'connection failed, retrying',
  8: 'no network',
  9: 'on-premise server error',
  10: "suspended: check your application in mesibo's console",
};
const OFFLINE = 2;
const AUTHFAIL = 4;

/** How many stored messages each conversation reads when the page opens. */
const HISTORY = 100;

const $ = (id) => document.getElementById(id);

/** Shows what went wrong, and the command that puts it right on a line of its own, if there is one. */
function showProblem(text, command) {
  $('problem').textContent = text;
  if (command) {
    const code = document.createElement('code');
    code.textContent = command;
    $('problem').append(document.createElement('br'), code);
  }
  $('problem').hidden = false;
}

function hideProblem() {
  $('problem').hidden = true;
}

/** What the page says about its tokens on AUTHFAIL: sandbox tokens work with this project's sandbox only. */
function authFailText(config) {
  if (!config.sandbox) return STATUS_TEXT[AUTHFAIL];
  return (
    "AUTHFAIL: these are sandbox tokens, which work only with this project's own sandbox and the appid they " +
    `were issued for. Is the sandbox at ${new URL(config.sdk).host} another project's? Start this project's in ` +
    `its folder with: ${config.sandbox.start}`
  );
}

/** Says that mesibo's SDK did not load from config.sdk, and what to do about it. */
function showSdkProblem(config) {
  if (!config.sandbox) {
    showProblem(`mesibo's SDK did not load from mesibo's CDN (${config.sdk}): check the network and reload.`);
    return;
  }
  showProblem(
    `The local sandbox is not running: its stand-in for mesibo's SDK did not load from ${config.sdk}. ` +
      "Start it in this project's folder with this command, then reload this page:",
    config.sandbox.start,
  );
}

/** Loads mesibo's SDK from `url` (mesibo's CDN, or the local sandbox's stand-in); resolves false if it fails. */
function loadSdk(url) {
  return new Promise((resolve) => {
    const script = document.createElement('script');
    script.src = url;
    script.onload = () => resolve(typeof Mesibo !== 'undefined');
    script.onerror = () => resolve(false);
    document.head.append(script);
  });
}

function showPicker(users) {
  for (const user of users) {
    const link = document.createElement('a');
    link.href = `?user=${encodeURIComponent(user.address)}`;
    link.textContent = user.address;
    const item = document.createElement('li');
    item.append(link);
    $('users').append(item);
  }
  $('picker').hidden = false;
}

/** Adds a message to the list; returns its element. */
function addMessage(from, text, direction) {
  const who = document.createElement('span');
  who.className = 'from';
  who.textContent = from;
  const item = document.createElement('li');
  item.className = direction;
  item.append(who, text);
  $('messages').append(item);
  return item;
}

/**
 * A sent message's status as its ticks: one for sent, two for delivered, two blue ones for read. mesibo
 * reports failures as statuses from MESIBO_MSGSTATUS_FAIL (0x80, mesibo/libmesibo include/mesibo.h) up.
 */
function showStatus(item, status) {
  let tick = item.querySelector('.tick');
  if (!tick) {
    tick = document.createElement('span');
    tick.className = 'tick';
    item.append(tick);
  }
  const [text, state] =
    status === MESIBO_MSGSTATUS_READ ? ['✓✓ read', 'read']
    : status === MESIBO_MSGSTATUS_DELIVERED ? ['✓✓ delivered', 'delivered']
    : status === MESIBO_MSGSTATUS_SENT ? ['✓ sent', 'sent']
    : status >= 0x80 ? ['not sent', 'failed']
    : ['sending', 'sending'];
  tick.textContent = text;
  tick.dataset.status = state;
}

function startChat(config, user) {
  // By default the two demo users talk to each other, and anyone else talks to the first one.
  const [first, second] = config.users;
  const defaultPeer = user === first ? second : first;
  const others = config.users.filter((u) => u !== user);
  for (const other of others) {
    $('peer').add(new Option(other.address, other.address, false, other === defaultPeer));
  }
  $('me').textContent = user.address;
  $('chat').hidden = false;

  /** The element of each message sent, by mesibo's message id, and the last status mesibo reported for it. */
  const sent = new Map();
  const lastStatus = new Map();

  const api = new Mesibo();
  api.setAppName(config.appId);
  const listener = {
    Mesibo_onConnectionStatus(status) {
      $('status').textContent = status === AUTHFAIL ? authFailText(config) : (STATUS_TEXT[status] ?? `status ${status}`);
      $('controls').disabled = status !== MESIBO_STATUS_ONLINE;
      // With sandbox tokens, offline means the sandbox stopped: say how to start it (the page reconnects by itself).
      if (status === OFFLINE && config.sandbox) {
        showProblem("The local sandbox stopped. Start it again in this project's folder with this command:", config.sandbox.start);
      } else if (status === MESIBO_STATUS_ONLINE) {
        hideProblem();
      }
    },
    Mesibo_onMessage(msg) {
      // mesibo reports the messages we send here too. Received text, rich or plain, is in msg.message.
      if (msg.isIncoming() && msg.message) addMessage(msg.profile.getNameOrAddress(''), msg.message, 'incoming');
    },
    Mesibo_onMessageStatus(msg) {
      lastStatus.set(msg.mid, msg.getStatus());
      const item = sent.get(msg.mid);
      if (item) showStatus(item, msg.getStatus());
    },
  };
  api.setListener(listener);
  api.setAccessToken(user.token);
  api.start();

  // The page shows every conversation, so it reads them all: a read session with read receipts enabled
  // tells each sender, now and for every later message, that this user has read it.
  for (const other of others) {
    const session = api.getProfile(other.address, 0).createReadSession(listener);
    session.enableReadReceipt(true);
    session.read(HISTORY);
  }

  $('compose').addEventListener('submit', (event) => {
    event.preventDefault();
    const to = $('peer').value;
    const msg = api.getProfile(to, 0).newMessage();
    msg.message = $('text').value;
    msg.send();
    const item = addMessage(`you to ${to}`, msg.message, 'outgoing');
    sent.set(msg.mid, item);
    showStatus(item, lastStatus.get(msg.mid) ?? msg.getStatus());
    $('text').value = '';
  });
}

/** The config (config.js): serve.mjs gives it only to a same-origin fetch sending this header. */
async function loadConfig() {
  const response = await fetch('config.json', { headers: { 'Mesibo-Starter': 'config' } }).catch(() => {
    throw new Error('config.json could not be fetched: is npm start still running? Start it again and reload.');
  });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) {
    throw new Error(body.problem ?? `The server answered ${response.status} for config.json: serve this folder with npm start.`);
  }
  return body;
}

async function main() {
  let config;
  try {
    config = await loadConfig();
  } catch (error) {
    showProblem(error.message);
    return;
  }
  const address = new URLSearchParams(location.search).get('user');
  const user = config.users.find((u) => u.address === address);
  if (!user) {
    if (address !== null) showProblem(`config.js has no user ${JSON.stringify(address)}: pick one below.`);
    showPicker(config.users);
    return;
  }
  if (!(await loadSdk(config.sdk))) {
    showSdkProblem(config);
    return;
  }
  startChat(config, user);
}

await main();
