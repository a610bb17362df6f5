// mesibo web starter: log in as one user (index.html?user=<address>) and message the others.
// The appid and the users' access tokens come from config.js, which is git-ignored.
'use strict';

// mesibo's connection status codes (the MESIBO_STATUS_* globals) in words.
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

const REFRESH_HINT =
  'To issue fresh tokens, run this from the project folder (the one with mesibo.json): ' +
  'MESIBO_APP_TOKEN=<your App Token> npx create-mesibo-app refresh';

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
      // mesibo also reports the messages we send; show only received text.
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

function main() {
  const config = window.MESIBO_CONFIG;
  if (!config) {
    showProblem(
      "config.js is missing or failed to run: it holds the users' access tokens and is kept out of git. " +
        `Copy config.js.example to config.js and paste the tokens into it. ${REFRESH_HINT}`,
    );
    return;
  }
  if (typeof Mesibo === 'undefined') {
    showProblem("mesibo's SDK did not load from https://cdn.mesibo.com/api/mesibo.js: check the network and reload.");
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

main();
