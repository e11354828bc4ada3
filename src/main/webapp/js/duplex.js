// Duplex browser client: a small, dependency-free client for the Duplex wire protocol
// (docs/protocol.md). One DuplexSocket per namespace connection.
//
//   import { connect } from './js/duplex.js';
//   const socket = connect('/chat');
//   socket.on('receive-message', message => ...);
//   socket.emit('send-message', 'Hello', (error, data) => ...);

const DEFAULTS = {
  params: {},             // query parameters for the upgrade URL (board, room)
  token: undefined,       // a JWT (or a function giving one), sent as the first frame: never in the URL
  url: null,              // full ws:// URL; by default derived from the page's address
  reconnect: true,        // reconnect after an unexpected close
  reconnectDelayMin: 500, // first retry after about this long (ms)
  reconnectDelayMax: 10000,
  ackTimeout: 10000,      // an ack callback gets a timeout error after this long (ms)
  heartbeatInterval: 15000, // send an app-level ping this often (ms)
  heartbeatTimeout: 10000,  // ...and drop the link if nothing arrives this long after it
  maxQueued: 200,         // frames kept while offline; the oldest go first past this
  session: true,          // ask for a session: history on joining, positions, and resuming after a drop
};

/**
 * Opens a connection to a namespace ('/chat', '/whiteboard', '/game', '/location').
 * @param {string} namespace
 * @param {Partial<typeof DEFAULTS>} [options]
 * @returns {DuplexSocket}
 */
export function connect(namespace, options = {}) {
  const socket = new DuplexSocket(namespace, options);
  socket.connect();
  return socket;
}

/** The ws(s):// URL of a namespace next to the current page (works under any context path). */
export function namespaceUrl(namespace, params = {}) {
  const url = new URL(namespace.replace(/^\//, ''), document.baseURI);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null) url.searchParams.set(key, value);
  }
  return url.toString();
}

/** The error an ack callback gets when the server reports a failure or none arrives in time. */
export class DuplexError extends Error {
  /** @param {string} code @param {string} message */
  constructor(code, message) {
    super(message);
    this.code = code;
  }
}

/**
 * A connection to one namespace that survives network trouble: it reconnects with exponential backoff
 * and jitter, queues what is emitted while offline and sends it once connected again, and notices a dead
 * link with an app-level heartbeat.
 *
 * Sessions (docs/protocol.md, "Sessions and recovery"): the socket asks for one, keeps its token, and on
 * every reconnect presents it with the last position of each stream. The server then gives it back its id
 * and everything it was in, and replays what it missed: `connect` listeners get `resumed: true` (the page
 * need not join again) and `recovered: true` (nothing was missed, or all of it follows) or false (each
 * stream's recent `history` follows instead: start those views afresh). A session the server no longer
 * has gives `resumed: false`: a new connection, to join again.
 *
 * Events besides the namespace's own: 'connect' (data of `connected`: {id, namespace, session, resumed, recovered}),
 * 'disconnect' ({code, reason}), 'reconnecting' ({attempt, delay}), 'state' ('connecting' | 'open' | 'closed'),
 * 'error' (the server's `error` events: {code, message, event}).
 *
 * History (docs/protocol.md, "History and positions"): an event of a stream (a chat lobby's or room's
 * message) reaches its listeners with a second argument, {position, history}: where it stands in its
 * stream, and whether it came in the `history` a join brings (older messages, before any live one) rather
 * than live. The `history` event itself ({stream, epoch, events, more}) is fired too, after its events.
 * `positions` holds the last position seen in each stream.
 */
export class DuplexSocket {
  /** @param {string} namespace @param {Partial<typeof DEFAULTS>} options */
  constructor(namespace, options = {}) {
    this.namespace = namespace;
    this.options = { ...DEFAULTS, ...options };
    /** The socket id from the last `connected`, or null. */
    this.id = null;
    /** 'connecting', 'open' or 'closed'. */
    this.state = 'closed';
    this._listeners = new Map();
    this._queue = [];
    this._acks = new Map();
    this._nextAck = 1;
    this._attempt = 0;
    this._ws = null;
    this._wanted = false;
    this._timers = { reconnect: null, heartbeat: null, deadline: null };
    /** The last position seen in each stream: {stream: {stream, epoch, offset}}. */
    this.positions = {};
    /** The session's token from the last `connected`, presented on the next reconnect; null for none. */
    this.session = null;
  }

  /** True once `connected` has arrived and until the link drops. */
  get connected() {
    return this.state === 'open';
  }

  /** Starts (or restarts) connecting. */
  connect() {
    this._wanted = true;
    clearTimeout(this._timers.reconnect);
    if (this._ws) return this;
    this._setState('connecting');
    const resuming = this.options.session && this.session !== null;
    const params = this.options.session ? { session: resuming ? 'resume' : 'new', ...this.options.params } : this.options.params;
    const url = this.options.url || namespaceUrl(this.namespace, params);
    const ws = new WebSocket(url);
    this._ws = ws;
    ws.onopen = () => {
      const token = typeof this.options.token === 'function' ? this.options.token() : this.options.token;
      // Before anything else: the server answers with `connected` once the token (and session) are good.
      if (resuming) {
        const data = { session: this.session, positions: Object.values(this.positions) };
        if (token) data.token = token;
        ws.send(JSON.stringify({ event: 'resume', data }));
      } else if (token) {
        ws.send(JSON.stringify({ event: 'authenticate', data: { token } }));
      }
    };
    ws.onmessage = (message) => this._receive(message.data);
    ws.onclose = (event) => this._closed(ws, event.code, event.reason);
    ws.onerror = () => { /* a close event always follows */ };
    return this;
  }

  /** Closes for good: no reconnection, queued frames dropped. */
  disconnect() {
    this._wanted = false;
    clearTimeout(this._timers.reconnect);
    this._queue = [];
    this.session = null;
    this.positions = {};
    if (this._ws) this._ws.close(1000, 'Client disconnect');
    return this;
  }

  /**
   * Sends an event. With a callback, asks for an ack: callback(error, data) is called exactly once,
   * with a DuplexError on a failure or after `ackTimeout`.
   * @param {string} event @param {*} [data] @param {(error: DuplexError|null, data: *) => void} [callback]
   */
  emit(event, data, callback) {
    const frame = { event };
    if (data !== undefined) frame.data = data;
    if (callback) {
      const ack = this._nextAck++;
      frame.ack = ack;
      const timer = setTimeout(() => {
        if (this._acks.delete(ack)) callback(new DuplexError('TIMEOUT', 'No answer from the server'), null);
      }, this.options.ackTimeout);
      this._acks.set(ack, { callback, timer });
    }
    if (this.connected) {
      this._ws.send(JSON.stringify(frame));
    } else {
      this._queue.push(frame);
      if (this._queue.length > this.options.maxQueued) this._queue.shift();
    }
    return this;
  }

  /** Like emit with a callback, as a promise. */
  request(event, data) {
    return new Promise((resolve, reject) => this.emit(event, data, (error, result) => error ? reject(error) : resolve(result)));
  }

  on(event, listener) {
    if (!this._listeners.has(event)) this._listeners.set(event, new Set());
    this._listeners.get(event).add(listener);
    return this;
  }

  off(event, listener) {
    this._listeners.get(event)?.delete(listener);
    return this;
  }

  once(event, listener) {
    const wrapper = (data) => { this.off(event, wrapper); listener(data); };
    return this.on(event, wrapper);
  }

  _fire(event, data, meta) {
    for (const listener of [...(this._listeners.get(event) || [])]) {
      try {
        listener(data, meta);
      } catch (error) {
        console.error(`duplex: a '${event}' listener failed`, error);
      }
    }
  }

  _setState(state) {
    if (this.state === state) return;
    this.state = state;
    this._fire('state', state);
  }

  _receive(text) {
    this._armHeartbeat();
    let frame;
    try {
      frame = JSON.parse(text);
    } catch {
      return;
    }
    if (typeof frame.ack === 'number' && frame.event === undefined) {
      const pending = this._acks.get(frame.ack);
      if (!pending) return;
      this._acks.delete(frame.ack);
      clearTimeout(pending.timer);
      pending.callback(frame.error ? new DuplexError(frame.error.code, frame.error.message) : null, frame.data ?? {});
      return;
    }
    if (frame.event === 'connected') {
      if (!frame.data.resumed) this.positions = {};
      this.session = frame.data.session ?? null;
      this.id = frame.data.id;
      this._attempt = 0;
      this._setState('open');
      this._fire('connect', frame.data);
      this._flush();
      return;
    }
    if (frame.event === 'history' && Array.isArray(frame.data?.events)) {
      // Where a joiner stands in the stream, even when its history is empty.
      const { stream, epoch, last } = frame.data;
      if (typeof stream === 'string' && typeof epoch === 'string' && Number.isInteger(last)) {
        this.positions[stream] = { stream, epoch, offset: last };
      }
      for (const event of frame.data.events) this._event(event, true);
    }
    this._event(frame, false);
  }

  /** Fires a frame's event; a stream's event with its position, which is remembered. */
  _event(frame, history) {
    const position = frame.position;
    if (position && typeof position.stream === 'string') {
      const seen = this.positions[position.stream];
      const older = seen && seen.epoch === position.epoch && seen.offset >= position.offset;
      if (!history && !older) this.positions[position.stream] = position;
      this._fire(frame.event, frame.data, { position, history });
      return;
    }
    this._fire(frame.event, frame.data);
  }

  _flush() {
    const queued = this._queue;
    this._queue = [];
    for (const frame of queued) this._ws.send(JSON.stringify(frame));
  }

  /** Sends a ping after a quiet interval and drops the link if nothing at all comes back in time. */
  _armHeartbeat() {
    clearTimeout(this._timers.heartbeat);
    clearTimeout(this._timers.deadline);
    this._timers.heartbeat = setTimeout(() => {
      if (!this.connected) return;
      this._ws.send(JSON.stringify({ event: 'ping' }));
      this._timers.deadline = setTimeout(() => this._ws?.close(4000, 'Heartbeat timeout'), this.options.heartbeatTimeout);
    }, this.options.heartbeatInterval);
  }

  _closed(ws, code, reason) {
    if (ws !== this._ws) return;
    this._ws = null;
    clearTimeout(this._timers.heartbeat);
    clearTimeout(this._timers.deadline);
    const wasOpen = this.connected;
    this._setState('closed');
    if (wasOpen) this._fire('disconnect', { code, reason });
    if (!this._wanted || !this.options.reconnect) return;
    const base = Math.min(this.options.reconnectDelayMax, this.options.reconnectDelayMin * 2 ** this._attempt);
    const delay = Math.round(base / 2 + Math.random() * base / 2); // jitter: clients never stampede back together
    this._attempt++;
    this._fire('reconnecting', { attempt: this._attempt, delay });
    this._timers.reconnect = setTimeout(() => this.connect(), delay);
  }
}

/**
 * Who is in the chat lobby, or in one chat room, as the client can know it, kept from either form the
 * server uses (docs/protocol.md, "Big lobbies and rooms"): while the scope is small, `members` is everyone
 * and changes with each join, rename and leave; once it is big (`coalesced`), `members` is its first page,
 * `total` its exact size, and both change with each `presence-diff`. Further pages and searches are asked
 * for with `list`.
 *
 *   const lobby = new Roster(socket);
 *   lobby.onChange(() => render(lobby.members, lobby.total));
 *   const { users, more } = await lobby.list({ prefix: 'an' });
 */
export class Roster {
  /** @param {DuplexSocket} socket @param {string|null} [roomId] null for the lobby */
  constructor(socket, roomId = null) {
    this.socket = socket;
    this.roomId = roomId;
    /** @type {Map<string, string>} userId -> username */
    this.members = new Map();
    this.coalesced = false;
    this._total = 0;
    this._listeners = new Set();
    const mine = (data) => (roomId === null ? data?.roomId === undefined : data?.roomId === roomId);
    const upsert = (userId, username) => { if (!this.coalesced) this.members.set(userId, username); };
    const remove = (userId) => { if (!this.coalesced) this.members.delete(userId); };
    if (roomId === null) {
      socket.on('online-users', (users) => this._replace(users, false, 0));
      socket.on('user-connected', ({ userId, username }) => this._changed(upsert(userId, username)));
      socket.on('user-disconnected', ({ userId }) => this._changed(remove(userId)));
    } else {
      socket.on('joined-room', (data) => {
        if (mine(data)) this._replace(data.members, data.total !== undefined, data.total ?? 0);
      });
      socket.on('user-joined-room', (data) => { if (mine(data)) this._changed(upsert(data.userId, data.username)); });
      socket.on('user-left-room', (data) => { if (mine(data)) this._changed(remove(data.userId)); });
      // A rename comes as the lobby's user-connected, for the user wherever listed.
      socket.on('user-connected', ({ userId, username }) => {
        if (this.members.has(userId)) this._changed(upsert(userId, username));
      });
      socket.on('left-room', (data) => { if (mine(data)) this._replace([], false, 0); });
    }
    socket.on('presence-diff', (diff) => {
      if (!mine(diff)) return;
      this.coalesced = true;
      this._total = diff.total;
      for (const userId of diff.removed) this.members.delete(userId);
      for (const { userId, username } of diff.added) this.members.set(userId, username);
      this._changed();
    });
  }

  /** How many are in the scope: exact in both forms. */
  get total() {
    return this.coalesced ? this._total : this.members.size;
  }

  /** Calls listener after every change. */
  onChange(listener) {
    this._listeners.add(listener);
    return this;
  }

  /**
   * A page of members in the server's order: `after` the last entry held ({userId, username}), those whose
   * name starts with `prefix`, at most `limit`. Resolves to {users, total, more}.
   */
  list({ after, prefix, limit } = {}) {
    const data = {};
    if (this.roomId !== null) data.roomId = this.roomId;
    if (after) data.after = { userId: after.userId, username: after.username };
    if (prefix) data.prefix = prefix;
    if (limit) data.limit = limit;
    return this.socket.request('list-users', data);
  }

  _replace(users, coalesced, total) {
    this.members = new Map(users.map((user) => [user.userId, user.username]));
    this.coalesced = coalesced;
    this._total = total;
    this._changed();
  }

  _changed() {
    for (const listener of this._listeners) listener(this);
  }
}
