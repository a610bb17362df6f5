// mesibo web starter: log in as one user (?user=<address>) and message the others. The appid and the
// users' access tokens come from config.js (git-ignored), which `npm start` hands to this page only.

// mesibo's connection status codes in words: the values of its MESIBO_STATUS_* constants, the same on every
// platform (MESIBO_STATUS_ONLINE is 1, MESIBO_STATUS_AUTHFAIL 4...).
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

const $ = (id) => document.getElementById(id);

function showProblem(text) {
  $('problem').textContent = text;
  $('problem').hidden = false;
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

function addMessage(from, text, direction) {
  const who = document.createElement('span');
  who.className = 'from';
  who.textContent = from;
  const item = document.createElement('li');
  item.className = direction;
  item.append(who, text);
  $('messages').append(item);
}

function startChat(config, user) {
  // By default the two demo users talk to each other, and anyone else talks to the first one.
  const [first, second] = config.users;
  const defaultPeer = user === first ? second : first;
  for (const other of config.users.filter((u) => u !== user)) {
    $('peer').add(new Option(other.address, other.address, false, other === defaultPeer));
  }
  $('me').textContent = user.address;
  $('chat').hidden = false;

  const api = new Mesibo();
  api.setAppName(config.appId);
  api.setListener({
    Mesibo_onConnectionStatus(status) {
      $('status').textContent = STATUS_TEXT[status] ?? `status ${status}`;
      $('controls').disabled = status !== MESIBO_STATUS_ONLINE;
    },
    Mesibo_onMessage(msg) {
      // mesibo reports the messages we send here too. Received text, rich or plain, is in msg.message.
      if (msg.isIncoming() && msg.message) addMessage(msg.profile.getNameOrAddress(''), msg.message, 'incoming');
    },
  });
  api.setAccessToken(user.token);
  api.start();

  $('compose').addEventListener('submit', (event) => {
    event.preventDefault();
    const to = $('peer').value;
    const msg = api.getProfile(to, 0).newMessage();
    msg.message = $('text').value;
    msg.send();
    addMessage(`you to ${to}`, msg.message, 'outgoing');
    $('text').value = '';
  });
}

/** The appid and users of config.js: serve.mjs gives them only to a same-origin fetch sending this header. */
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
  if (typeof Mesibo === 'undefined') {
    showProblem("mesibo's SDK did not load from mesibo's CDN (the first script in index.html): check the network and reload.");
    return;
  }
  const address = new URLSearchParams(location.search).get('user');
  const user = config.users.find((u) => u.address === address);
  if (user) {
    startChat(config, user);
    return;
  }
  if (address !== null) showProblem(`config.js has no user ${JSON.stringify(address)}: pick one below.`);
  showPicker(config.users);
}

await main();
