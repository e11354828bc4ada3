// The load generator: many real WebSocket clients in one process, speaking either the Duplex protocol
// or Socket.IO's wire format (Engine.IO v4 over a raw WebSocket), so every server pays the same client
// cost. Run by run.mjs as: node loader.mjs '<json scenario>'; prints one JSON result line.
//
// Latency comes from the send time embedded in each message (~<performance.now()>~), read back with
// indexOf on the raw frame rather than a full JSON parse, to keep the loader's own cost low.
import WebSocket from 'ws';
import { performance } from 'node:perf_hooks';

const scenario = JSON.parse(process.argv[2]);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// ---- wire formats -------------------------------------------------------------------------------

const wire = {
  duplex: {
    url: (base, path) => `${base}${path}`,
    encode: (event, data) => JSON.stringify({ event, data }),
    onOpen() {},
    onFrame(client, text) {
      if (!client.ready && text.includes('"event":"connected"')) client.ready = true;
      return text;
    },
  },
  socketio: {
    url: (base) => `${base}/socket.io/?EIO=4&transport=websocket`,
    encode: (event, data) => `42${JSON.stringify([event, data])}`,
    onOpen() {},
    onFrame(client, text) {
      if (text === '2') { client.ws.send('3'); return null; }        // Engine.IO ping
      if (text.startsWith('0{')) { client.ws.send('40'); return null; } // open: connect to namespace '/'
      if (text.startsWith('40')) { client.ready = true; return null; }
      return text;
    },
  },
};

// ---- clients ------------------------------------------------------------------------------------

const histogram = new Uint32Array(100_001); // 0.1 ms buckets up to 10 s; the last bucket is overflow
let received = 0;
let lastReceive = 0;
// Every frame and byte any client received but the timed messages: what a lobby's presence costs.
let framesIn = 0;
let bytesIn = 0;
let maxLatency = 0;

const TILDE = 0x7e;

/** Reads the embedded send time straight from the frame's bytes: no string for the whole frame. */
function record(bytes) {
  const start = bytes.indexOf(TILDE);
  if (start < 0) return;
  const end = bytes.indexOf(TILDE, start + 1);
  const sent = Number(bytes.toString('latin1', start + 1, end));
  const now = performance.now();
  const latency = now - sent;
  received++;
  lastReceive = now;
  if (latency > maxLatency) maxLatency = latency;
  histogram[Math.min(100_000, Math.max(0, Math.round(latency * 10)))]++;
}

function percentile(p) {
  if (received === 0) return null;
  const rank = Math.ceil(received * p);
  let seen = 0;
  for (let i = 0; i < histogram.length; i++) {
    seen += histogram[i];
    if (seen >= rank) return i / 10;
  }
  return null;
}

function connect(format, url, index) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { perMessageDeflate: false, skipUTF8Validation: true });
    const client = { ws, index, ready: false, waiters: [] };
    const timer = setTimeout(() => reject(new Error(`client ${index}: no connection in 20 s`)), 20_000);
    ws.on('message', (data) => {
      if (data.indexOf(TILDE) < 0) {
        framesIn++;
        bytesIn += data.length;
      }
      // The hot path: a measured message, while nobody waits for anything else. No decoding at all.
      if (client.ready && client.waiters.length === 0 && data.length > 16 && data.indexOf(TILDE) >= 0) {
        if (client.index >= 0) record(data); // late joiners (index -1) only watch: their deliveries are not expected
        return;
      }
      const text = format.onFrame(client, data.toString());
      if (client.ready && timer) {
        clearTimeout(timer);
        resolve(client);
      }
      if (text === null) return;
      if (client.index >= 0 && text.includes('~') && !text.includes('load-drawings')) record(data);
      for (let i = client.waiters.length - 1; i >= 0; i--) {
        if (text.includes(client.waiters[i].marker)) {
          client.waiters[i].resolve();
          client.waiters.splice(i, 1);
        }
      }
    });
    ws.on('error', (error) => reject(error));
  });
}

/** Resolves when a frame containing marker arrives at the client. */
function waitFor(client, marker, timeout = 30_000) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`client ${client.index}: no '${marker}' in ${timeout} ms`)), timeout);
    client.waiters.push({ marker, resolve: () => { clearTimeout(timer); resolve(); } });
  });
}

/**
 * Opens count clients, at most `parallel` handshakes at once; returns them and the connections per second.
 * `url` is one URL, or a function of the client's index (clients spread over the nodes of a cluster).
 */
async function openClients(format, url, count, parallel = 200) {
  const clients = new Array(count);
  const urlOf = typeof url === 'function' ? url : () => url;
  let next = 0;
  const started = performance.now();
  async function worker() {
    while (next < count) {
      const index = next++;
      clients[index] = await connect(format, urlOf(index), index);
    }
  }
  await Promise.all(Array.from({ length: Math.min(parallel, count) }, worker));
  const seconds = (performance.now() - started) / 1000;
  return { clients, connectionsPerSecond: count / seconds };
}

async function join(format, clients) {
  for (const client of clients) {
    const joined = waitFor(client, `"username":"u${client.index}"`);
    client.ws.send(format.encode('user-joined', `u${client.index}`));
    await joined;
  }
}

// ---- send loop ----------------------------------------------------------------------------------

/**
 * Every sender sends `rate` messages a second for `seconds`, paced by a 5 ms ticker; then waits for the
 * deliveries to drain. Returns the figures of the run.
 */
async function drive(senders, rate, seconds, encodeMessage, expectedPerMessage) {
  received = 0;
  maxLatency = 0;
  histogram.fill(0);
  // The runner counts what the server side does from here to the drain (a cluster's Redis commands).
  process.stdout.write(`${JSON.stringify({ phase: 'measuring' })}\n`);
  const cpuBefore = process.cpuUsage();
  const start = performance.now();
  const sent = new Array(senders.length).fill(0);
  let total = 0;
  await new Promise((resolve) => {
    const ticker = setInterval(() => {
      const elapsed = performance.now() - start;
      const due = Math.floor((Math.min(elapsed, seconds * 1000) * rate) / 1000);
      for (let i = 0; i < senders.length; i++) {
        while (sent[i] < due) {
          sent[i]++;
          total++;
          senders[i].ws.send(encodeMessage(senders[i], `m ${i}.${sent[i]} ~${performance.now()}~`));
        }
      }
      if (elapsed >= seconds * 1000) {
        clearInterval(ticker);
        resolve();
      }
    }, 5);
  });
  const expected = total * expectedPerMessage;
  const drainDeadline = performance.now() + 5000;
  while (received < expected && performance.now() < drainDeadline) await sleep(20);
  process.stdout.write(`${JSON.stringify({ phase: 'measured' })}\n`);
  const cpu = process.cpuUsage(cpuBefore);
  const wall = (lastReceive || performance.now()) - start;
  return {
    sent: total,
    expected,
    received,
    loss: expected - received,
    deliveriesPerSecond: Math.round(received / (wall / 1000)),
    p50: percentile(0.5), p90: percentile(0.9), p99: percentile(0.99), max: Math.round(maxLatency * 10) / 10,
    loaderCpu: (cpu.user + cpu.system) / 1e6 / (wall / 1000),
  };
}

// ---- scenarios ----------------------------------------------------------------------------------

/**
 * Where fan-out's clients connect: the one server, or with several nodes (s.bases) the senders on the first
 * node and the receivers spread evenly over all of them, so most deliveries cross from node to node.
 */
function fanoutUrl(format, s) {
  if (!s.bases) return format.url(s.base, '/chat');
  return (index) => format.url(index < s.senders ? s.bases[0] : s.bases[index % s.bases.length], '/chat');
}

async function fanout(format, s) {
  const { clients } = await openClients(format, fanoutUrl(format, s), s.clients);
  await join(format, clients);
  const senders = clients.slice(0, s.senders);
  const steps = [];
  for (const rate of s.rates) {
    const result = await drive(senders, rate, s.seconds, (c, text) => format.encode('send-message', text), clients.length);
    steps.push({ rate, ...result });
    if (s.rates.length > 1) {
      const best = Math.max(...steps.slice(0, -1).map((step) => step.deliveriesPerSecond), 0);
      if (result.p99 === null || result.p99 > 1000 || result.deliveriesPerSecond < best * 1.05) break;
    }
    await sleep(500);
  }
  return { steps };
}

async function rooms(format, s) {
  const { clients } = await openClients(format, format.url(s.base, '/chat'), s.clients);
  await join(format, clients);
  for (const client of clients) {
    const room = `r${Math.floor(client.index / s.roomSize)}`;
    client.room = room;
    const joined = waitFor(client, 'joined-room');
    client.ws.send(format.encode('join-room', room));
    await joined;
  }
  const result = await drive(clients, s.rate, s.seconds,
    (c, text) => format.encode('room-message', { roomId: c.room, message: text }), s.roomSize);
  return { steps: [{ rate: s.rate, ...result }] };
}

async function idle(format, s) {
  const { clients, connectionsPerSecond } = await openClients(format, format.url(s.base, '/chat'), s.clients);
  process.stdout.write(`${JSON.stringify({ phase: 'connected', connectionsPerSecond })}\n`);
  await new Promise((resolve) => process.stdin.once('data', resolve)); // the runner has measured the server
  for (const client of clients) client.ws.terminate();
  return { connectionsPerSecond, clients: clients.length };
}

async function whiteboard(format, s) {
  const url = format.url(s.base, `/whiteboard?board=${s.board ?? 'bench'}`);
  const { clients } = await openClients(format, url, s.clients);
  const drawers = clients.slice(0, s.drawers);
  const lateJoins = [];
  const lateJoiner = setInterval(async () => {
    const began = performance.now();
    const late = await connect(format, url, -1);
    await waitFor(late, 'load-drawings');
    lateJoins.push(performance.now() - began);
    late.ws.terminate();
  }, 1000);
  const result = await drive(drawers, s.rate, s.seconds, (c, text) => format.encode('draw', {
    prevX: 10, prevY: 10, x: 20 + (c.index % 100), y: 30, color: '#336699', width: 2, strokeId: text,
  }), s.clients - 1);
  clearInterval(lateJoiner);
  lateJoins.sort((a, b) => a - b);
  return { steps: [{ rate: s.rate, ...result }], lateJoinMs: { p50: lateJoins[Math.floor(lateJoins.length / 2)] ?? null, max: lateJoins.at(-1) ?? null, count: lateJoins.length } };
}

/**
 * Lobby fill: `users` clients connect, then join one lobby `batch` at a time, each batch waiting for every
 * joiner's own `user-connected`; meanwhile a user who joined first sends a timed message every 500 ms.
 * Reports the time to fill, the frames and bytes all clients received per join, the latency of the
 * messages sent during the fill, and how long one message then takes to reach every user. A server that
 * has not filled the lobby after `timeoutSeconds` is reported with how many had joined.
 */
async function lobby(format, s) {
  // With several nodes (s.bases) the users are spread over them in turn.
  const url = s.bases ? (index) => format.url(s.bases[index % s.bases.length], '/chat') : format.url(s.base, '/chat');
  const { clients } = await openClients(format, url, s.users + 1);
  const sender = clients[s.users];
  await join(format, [sender]);
  // One watcher per node: when does each see the lobby's final total (a big lobby's presence-diff)?
  const watchers = clients.slice(0, s.bases ? s.bases.length : 1);
  const seenFull = s.protocol === 'duplex' && s.users > 200 ? watchers.map((watcher) => {
    const seen = { at: null };
    waitFor(watcher, `"total":${s.users + 1}`, (s.timeoutSeconds + 30) * 1000)
      .then(() => { seen.at = performance.now(); }, () => {});
    return seen;
  }) : [];
  received = 0;
  maxLatency = 0;
  histogram.fill(0);
  framesIn = 0;
  bytesIn = 0;
  process.stdout.write(`${JSON.stringify({ phase: 'measuring' })}\n`);
  const cpuBefore = process.cpuUsage();
  const start = performance.now();
  let sent = 0;
  const ticker = setInterval(() => { sent++; sender.ws.send(format.encode('send-message', `fill ~${performance.now()}~`)); }, 500);
  let joined = 0;
  while (joined < s.users && performance.now() - start < s.timeoutSeconds * 1000) {
    const batch = clients.slice(joined, Math.min(s.users, joined + s.batch));
    await Promise.all(batch.map((client) => {
      const confirmed = waitFor(client, `"username":"u${client.index}"`, s.timeoutSeconds * 1000);
      client.ws.send(format.encode('user-joined', `u${client.index}`));
      return confirmed;
    }));
    joined += batch.length;
  }
  const filled = performance.now();
  const fillSeconds = (filled - start) / 1000;
  clearInterval(ticker);
  // Every node's view is right once its watcher has the total: how long after the last join, at most.
  const settleDeadline = filled + 10_000;
  while (seenFull.some((seen) => seen.at === null) && performance.now() < settleDeadline) await sleep(10);
  const viewsRightMs = seenFull.length === 0 || seenFull.some((seen) => seen.at === null) ? null
    : Math.round(Math.max(0, ...seenFull.map((seen) => seen.at - filled)));
  process.stdout.write(`${JSON.stringify({ phase: 'measured' })}\n`);
  const cpu = process.cpuUsage(cpuBefore);
  const frames = framesIn;
  const bytes = bytesIn;
  const duringFill = { p50: percentile(0.5), p99: percentile(0.99), max: Math.round(maxLatency * 10) / 10, messages: sent };
  // One message once the lobby is full: until every user (the sender too) has it.
  await sleep(1000);
  received = 0;
  const began = performance.now();
  sender.ws.send(format.encode('send-message', `after ~${began}~`));
  const deadline = began + 30_000;
  while (received < joined + 1 && performance.now() < deadline) await sleep(5);
  return {
    steps: [{
      users: s.users, joined, filled: joined === s.users, fillSeconds: Math.round(fillSeconds * 100) / 100,
      framesPerJoin: Math.round(frames / joined), bytesPerJoin: Math.round(bytes / joined),
      ...duringFill, reachEveryoneMs: received >= joined + 1 ? Math.round((lastReceive - began) * 10) / 10 : null,
      viewsRightMs,
      loaderCpu: (cpu.user + cpu.system) / 1e6 / fillSeconds,
    }],
  };
}

/**
 * Reconnect storm: `users` are in the lobby, talking (one timed message every 100 ms); then `arrivals`
 * clients connect and join all at once (`parallel` handshakes in flight, each joining as soon as it is
 * connected), as the clients of a restarted node would. Reports how long until every arrival had joined
 * and the latency of the messages meanwhile, which every user must keep getting.
 */
async function storm(format, s) {
  const url = format.url(s.base, '/chat');
  const { clients } = await openClients(format, url, s.users);
  await join(format, clients);
  const sender = clients[0];
  received = 0;
  maxLatency = 0;
  histogram.fill(0);
  process.stdout.write(`${JSON.stringify({ phase: 'measuring' })}\n`);
  const start = performance.now();
  let sent = 0;
  const ticker = setInterval(() => { sent++; sender.ws.send(format.encode('send-message', `storm ~${performance.now()}~`)); }, 100);
  let next = 0;
  let joined = 0;
  const arrivals = [];
  async function arrive() {
    while (next < s.arrivals) {
      const index = s.users + next++;
      const client = await connect(format, url, -1); // arrivals only watch: their deliveries are not timed
      arrivals.push(client);
      const confirmed = waitFor(client, `"username":"a${index}"`, 60_000);
      client.ws.send(format.encode('user-joined', `a${index}`));
      await confirmed;
      joined++;
    }
  }
  await Promise.all(Array.from({ length: s.parallel }, arrive));
  const stormSeconds = (performance.now() - start) / 1000;
  // A second more of talk after the storm, then the figures.
  await sleep(1000);
  clearInterval(ticker);
  await sleep(500);
  process.stdout.write(`${JSON.stringify({ phase: 'measured' })}\n`);
  return {
    steps: [{
      users: s.users, arrivals: s.arrivals, joined, stormSeconds: Math.round(stormSeconds * 100) / 100,
      messages: sent, deliveries: received, expected: sent * s.users,
      p50: percentile(0.5), p99: percentile(0.99), max: Math.round(maxLatency * 10) / 10,
    }],
  };
}

const scenarios = { fanout, rooms, idle, whiteboard, lobby, storm };

try {
  const result = await scenarios[scenario.name](wire[scenario.protocol], scenario);
  process.stdout.write(`${JSON.stringify({ phase: 'done', ...result })}\n`);
  process.exit(0);
} catch (error) {
  process.stdout.write(`${JSON.stringify({ phase: 'failed', error: String(error) })}\n`);
  process.exit(1);
}
