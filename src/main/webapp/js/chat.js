import { connect } from './duplex.js';
import { el, showStatus, showErrors, clock, pageToken } from './page.js';

const socket = connect('/chat', { token: pageToken() });
showStatus(socket);
const showError = showErrors(socket);
const $ = (id) => document.getElementById(id);

const LOBBY = '';
let myName = null;
const users = new Map();          // userId -> username
const rooms = new Set();          // rooms joined
const conversations = new Map([[LOBBY, []]]); // '' (lobby) or room id -> rendered nodes
let current = LOBBY;
let privateTo = null;             // {userId, username} while writing a private message
const typingUsers = new Map();    // userId -> username

// ---- joining, and rejoining after a reconnect ---------------------------------------------------

$('join-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const name = $('name').value.trim();
  if (!name) return;
  socket.emit('user-joined', name, (error) => {
    if (error) {
      $('join-errors').textContent = `${error.code}: ${error.message}`;
      return;
    }
    myName = name;
    $('join').classList.add('hidden');
    $('chat').classList.remove('hidden');
    $('message').focus();
  });
});

socket.on('connect', () => {
  if (!myName) return;
  // A new connection is a new user to the server: join again under the same name, and the same rooms.
  users.clear();
  socket.emit('user-joined', myName);
  for (const room of rooms) socket.emit('join-room', room);
  notice(LOBBY, 'Reconnected');
});
socket.on('disconnect', () => { if (myName) notice(LOBBY, 'Connection lost, reconnecting…'); });

// ---- presence ------------------------------------------------------------------------------------

socket.on('online-users', (list) => {
  users.clear();
  for (const user of list) users.set(user.userId, user.username);
  renderUsers();
});

socket.on('user-connected', ({ userId, username, totalUsers }) => {
  const known = users.get(userId);
  users.set(userId, username);
  renderUsers(totalUsers);
  if (userId === socket.id) return;
  notice(LOBBY, known ? `${known} is now ${username}` : `${username} joined`);
});

socket.on('user-disconnected', ({ userId, username, totalUsers }) => {
  users.delete(userId);
  typingUsers.delete(userId);
  renderUsers(totalUsers);
  renderTyping();
  notice(LOBBY, `${username} left`);
});

function renderUsers(total = users.size) {
  $('online-count').textContent = String(total);
  const list = $('users');
  list.replaceChildren();
  for (const [userId, username] of users) {
    const item = el('li', {}, el('span', { text: userId === socket.id ? `${username} (you)` : username }));
    if (userId !== socket.id) {
      const button = el('button', { text: 'Message', className: 'secondary', attrs: { type: 'button' } });
      button.addEventListener('click', () => startPrivate(userId, username));
      item.append(button);
    }
    list.append(item);
  }
}

// ---- messages ------------------------------------------------------------------------------------

function add(conversation, node) {
  if (!conversations.has(conversation)) conversations.set(conversation, []);
  conversations.get(conversation).push(node);
  if (conversation === current) {
    $('messages').append(node);
    $('messages').scrollTop = $('messages').scrollHeight;
  }
}

function notice(conversation, text) {
  add(conversation, el('div', { text, className: 'notice' }));
}

function message({ from, userId, text, timestamp, extraClass = '', label = '' }) {
  const mine = userId === socket.id;
  return el('div', { className: `message ${mine ? 'mine' : ''} ${extraClass}` },
    el('span', { className: 'meta', text: `${label}${from} · ${clock(timestamp)}` }),
    el('span', { className: 'text', text }));
}

socket.on('receive-message', (m) => add(LOBBY, message({ from: m.username, userId: m.userId, text: m.message, timestamp: m.timestamp })));
socket.on('room-message', (m) => add(m.roomId, message({ from: m.from, userId: m.fromUserId, text: m.message, timestamp: m.timestamp })));
socket.on('private-message', (m) => add(LOBBY, message({
  from: m.from, userId: m.fromUserId, text: m.message, timestamp: m.timestamp, extraClass: 'private', label: 'Private from ' })));
socket.on('private-message-sent', (m) => add(LOBBY, message({
  from: m.to, userId: socket.id, text: m.message, timestamp: m.timestamp, extraClass: 'private', label: 'Private to ' })));

$('send-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const text = $('message').value;
  if (!text.trim()) return;
  const done = (error) => {
    if (error) showError(error);
    else $('message').value = '';
  };
  if (privateTo) socket.emit('private-message', { toUserId: privateTo.userId, message: text }, done);
  else if (current === LOBBY) socket.emit('send-message', text, done);
  else socket.emit('room-message', { roomId: current, message: text }, done);
  setTyping(false);
});

function startPrivate(userId, username) {
  privateTo = { userId, username };
  $('private-name').textContent = username;
  $('private-target').classList.remove('hidden');
  selectConversation(LOBBY);
  $('message').focus();
}
$('private-cancel').addEventListener('click', () => {
  privateTo = null;
  $('private-target').classList.add('hidden');
});

// ---- typing --------------------------------------------------------------------------------------

let typing = false;
let typingTimer = null;
function setTyping(value) {
  clearTimeout(typingTimer);
  if (value) typingTimer = setTimeout(() => setTyping(false), 2000);
  if (typing === value) return;
  typing = value;
  socket.emit('typing', value);
}
$('message').addEventListener('input', () => setTyping($('message').value.length > 0));

socket.on('user-typing', ({ userId, username, isTyping }) => {
  if (isTyping) typingUsers.set(userId, username);
  else typingUsers.delete(userId);
  renderTyping();
});
function renderTyping() {
  const names = [...typingUsers.values()];
  $('typing').textContent = names.length === 0 ? '' : `${names.join(', ')} ${names.length === 1 ? 'is' : 'are'} typing…`;
}

// ---- rooms ---------------------------------------------------------------------------------------

$('room-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const room = $('room').value.trim();
  socket.emit('join-room', room, (error) => {
    if (error) showError(error);
    else $('room').value = '';
  });
});

socket.on('joined-room', ({ roomId, members }) => {
  const fresh = !rooms.has(roomId);
  rooms.add(roomId);
  if (fresh) notice(roomId, `You joined ${roomId} (${members.length} here)`);
  renderRooms();
  if (fresh) selectConversation(roomId);
});
socket.on('user-joined-room', ({ roomId, username }) => notice(roomId, `${username} joined ${roomId}`));
socket.on('user-left-room', ({ roomId, username }) => notice(roomId, `${username} left ${roomId}`));
socket.on('left-room', ({ roomId }) => {
  rooms.delete(roomId);
  if (current === roomId) selectConversation(LOBBY);
  renderRooms();
});

function renderRooms() {
  const list = $('rooms');
  list.replaceChildren();
  for (const room of rooms) {
    const leave = el('button', { text: 'Leave', className: 'secondary', attrs: { type: 'button' } });
    leave.addEventListener('click', () => socket.emit('leave-room', room));
    list.append(el('li', {}, el('span', { text: room }), leave));
  }
  const tabs = $('tabs');
  tabs.replaceChildren();
  for (const conversation of [LOBBY, ...rooms]) {
    const tab = el('button', { text: conversation === LOBBY ? 'Lobby' : `# ${conversation}`,
      attrs: { type: 'button', role: 'tab', 'aria-selected': String(conversation === current) } });
    tab.addEventListener('click', () => selectConversation(conversation));
    tabs.append(tab);
  }
}

function selectConversation(conversation) {
  current = conversation;
  if (conversation !== LOBBY && privateTo) $('private-cancel').click();
  $('messages').replaceChildren(...(conversations.get(conversation) || []));
  $('messages').scrollTop = $('messages').scrollHeight;
  renderRooms();
}

renderRooms();
