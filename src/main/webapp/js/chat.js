import { connect, Roster } from './duplex.js';
import { el, showStatus, showErrors, clock, pageToken } from './page.js';

const socket = connect('/chat', { token: pageToken() });
showStatus(socket);
const showError = showErrors(socket);
const $ = (id) => document.getElementById(id);

const LOBBY = '';
let myName = null;
// Joins and renames are told one by one only in a small lobby; a big one shows the count and first page.
// Registered before the roster's own listener, so that a rename still finds the old name.
socket.on('user-connected', ({ userId, username }) => {
  if (userId === socket.id || lobby.coalesced) return;
  const known = lobby.members.get(userId);
  notice(LOBBY, known && known !== username ? `${known} is now ${username}` : `${username} joined`);
});
const lobby = new Roster(socket); // who is online: everyone, or in a big lobby the first page and the total
let further = [];                 // in a big lobby: the pages loaded past the first, on scrolling
let furtherDone = false;
let search = null;                // {prefix, users} while searching a big lobby by name
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

socket.on('connect', ({ resumed }) => {
  if (!myName) return;
  if (resumed) {
    // The server kept this user, its rooms and what was said meanwhile (replayed, or a fresh history).
    notice(LOBBY, 'Reconnected');
    return;
  }
  // A new connection is a new user to the server: join again under the same name, and the same rooms.
  socket.emit('user-joined', myName);
  for (const room of rooms) socket.emit('join-room', room);
  notice(LOBBY, 'Reconnected');
});
socket.on('disconnect', () => { if (myName) notice(LOBBY, 'Connection lost, reconnecting…'); });

// ---- presence ------------------------------------------------------------------------------------

lobby.onChange(() => {
  if (!lobby.coalesced) {
    further = [];
    furtherDone = false;
  }
  renderUsers();
});

socket.on('online-users', () => { further = []; furtherDone = false; });

socket.on('user-disconnected', ({ userId, username }) => {
  typingUsers.delete(userId);
  renderTyping();
  notice(LOBBY, `${username} left`);
});

/** The server's order of a big lobby's list: by name ignoring case, then name, then id. */
const byName = (a, b) => a.username.toLowerCase().localeCompare(b.username.toLowerCase())
  || (a.username < b.username ? -1 : a.username > b.username ? 1 : 0) || (a.userId < b.userId ? -1 : 1);

function renderUsers() {
  $('online-count').textContent = String(lobby.total);
  const shown = search ? search.users
    : [...lobby.members].map(([userId, username]) => ({ userId, username }));
  if (lobby.coalesced && !search) {
    shown.sort(byName);
    const onPage = new Set(shown.map((user) => user.userId));
    shown.push(...further.filter((user) => !onPage.has(user.userId)));
  }
  const list = $('users');
  list.replaceChildren();
  for (const { userId, username } of shown) {
    const item = el('li', {}, el('span', { text: userId === socket.id ? `${username} (you)` : username }));
    if (userId !== socket.id) {
      const button = el('button', { text: 'Message', className: 'secondary', attrs: { type: 'button' } });
      button.addEventListener('click', () => startPrivate(userId, username));
      item.append(button);
    }
    list.append(item);
  }
  $('user-search-row').classList.toggle('hidden', !lobby.coalesced && !search);
}

// In a big lobby, scrolling to the end of the list loads the next page (a snapshot: live are the first
// page and the count).
let loading = false;
$('users').addEventListener('scroll', async () => {
  const list = $('users');
  if (!lobby.coalesced || search || furtherDone || loading) return;
  if (list.scrollTop + list.clientHeight < list.scrollHeight - 40) return;
  const held = [...lobby.members].map(([userId, username]) => ({ userId, username })).concat(further).sort(byName);
  loading = true;
  try {
    const page = await lobby.list({ after: held.at(-1) });
    further.push(...page.users);
    furtherDone = !page.more;
    renderUsers();
  } catch (error) {
    showError(error);
  } finally {
    loading = false;
  }
});

let searchTimer = null;
$('user-search').addEventListener('input', () => {
  clearTimeout(searchTimer);
  const prefix = $('user-search').value.trim();
  searchTimer = setTimeout(async () => {
    if (!prefix) {
      search = null;
      renderUsers();
      return;
    }
    try {
      const found = await lobby.list({ prefix });
      if ($('user-search').value.trim() === prefix) {
        search = { prefix, users: found.users };
        renderUsers();
      }
    } catch (error) {
      showError(error);
    }
  }, 200);
});

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

// ---- history: what was said before joining, and earlier pages on request -------------------------

const shown = new Map();   // conversation -> ids of the messages shown, so that none is shown twice
const earlier = new Map(); // conversation -> {epoch, before, button} while older messages can be asked for

/** Shows a lobby or room message once, however often it arrives (live, then again in a later history). */
function addMessage(conversation, id, node) {
  if (!shown.has(conversation)) shown.set(conversation, new Set());
  const ids = shown.get(conversation);
  if (ids.has(id)) return;
  ids.add(id);
  add(conversation, node);
}

const lobbyMessage = (m) => message({ from: m.username, userId: m.userId, text: m.message, timestamp: m.timestamp });
const roomMessage = (m) => message({ from: m.from, userId: m.fromUserId, text: m.message, timestamp: m.timestamp });
socket.on('receive-message', (m) => addMessage(LOBBY, m.id, lobbyMessage(m)));
socket.on('room-message', (m) => addMessage(m.roomId, m.id, roomMessage(m)));

const conversationOf = (stream) => (stream === 'lobby' ? LOBBY : stream.replace(/^room:/, ''));

socket.on('history', ({ stream, epoch, events, more }) => {
  const conversation = conversationOf(stream);
  if (!more || earlier.has(conversation) || events.length === 0) return;
  const button = el('button', { text: 'Show earlier messages', className: 'secondary earlier', attrs: { type: 'button' } });
  earlier.set(conversation, { epoch, before: events[0].position.offset, button });
  button.addEventListener('click', () => showEarlier(conversation));
  const nodes = conversations.get(conversation) || [];
  conversations.set(conversation, [button, ...nodes]);
  if (conversation === current) $('messages').prepend(button);
});

async function showEarlier(conversation) {
  const { epoch, before, button } = earlier.get(conversation);
  button.disabled = true;
  try {
    const page = await socket.request('history', { ...(conversation === LOBBY ? {} : { roomId: conversation }), epoch, before });
    const ids = shown.get(conversation) || new Set();
    shown.set(conversation, ids);
    const fresh = page.events.filter((event) => !ids.has(event.data.id));
    fresh.forEach((event) => ids.add(event.data.id));
    const nodes = fresh.map((event) => (conversation === LOBBY ? lobbyMessage(event.data) : roomMessage(event.data)));
    const rest = conversations.get(conversation).filter((node) => node !== button);
    if (page.more && page.events.length > 0) {
      earlier.set(conversation, { epoch, before: page.events[0].position.offset, button });
      conversations.set(conversation, [button, ...nodes, ...rest]);
      button.disabled = false;
    } else {
      conversations.set(conversation, [...nodes, ...rest]);
    }
    if (conversation === current) $('messages').replaceChildren(...conversations.get(conversation));
  } catch (error) {
    button.disabled = false;
    showError(error);
  }
}
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

socket.on('joined-room', ({ roomId, members, total }) => {
  const fresh = !rooms.has(roomId);
  rooms.add(roomId);
  if (fresh) notice(roomId, `You joined ${roomId} (${total ?? members.length} here)`);
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
