// The benchmark runner: starts each server pinned to core 0, drives it with the loader pinned to core 1,
// repeats every scenario in interleaved rounds, and prints medians with min and max side by side.
//
//   npm ci --prefix bench && mvn -B -q package -DskipTests && node bench/run.mjs
//   node bench/run.mjs --reps 3 --scenarios fanout,saturation,idle,rooms,whiteboard --servers duplex,tyrus-bare,node-ws,socket.io
//   node bench/run.mjs --scenarios fanout,saturation --servers duplex,duplex-2-nodes   (a cluster: needs redis-server)
//   node bench/run.mjs --scenarios lobby --servers duplex,socket.io --lobby-sizes 1000,2000,4000,8000,16000
//   node bench/run.mjs --scenarios fanout,saturation --servers duplex,duplex-baseline --baseline /tmp/old.jar
//     (a jar built from an earlier commit, run in the same rounds: a change's effect apart from the machine's)
//
// Loopback only, bounded in count and time. Writes bench/results/latest.md and latest.json.
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { once } from 'node:events';
import { cpus, totalmem } from 'node:os';
import { resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
const args = Object.fromEntries(process.argv.slice(2).join(' ').split('--').filter(Boolean)
  .map((pair) => pair.trim().split(/\s+/)).map(([key, value]) => [key, value ?? 'true']));
const REPS = Number(args.reps || 3);
// `lobby` stands for one lobby-fill scenario per size.
const LOBBY_SIZES = (args['lobby-sizes'] || '1000,2000,4000,8000,16000').split(',').map(Number);
const SCENARIOS = (args.scenarios || 'fanout,saturation,idle,rooms,whiteboard').split(',')
  .flatMap((key) => key === 'lobby' ? LOBBY_SIZES.map((users) => `lobby-${users}`) : [key]);
const SERVERS = (args.servers || 'duplex,duplex-2-nodes,tyrus-bare,node-ws,socket.io').split(',');
const IDLE_CLIENTS = Number(args['idle-clients'] || 10000);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// The JVM settings both Java servers get (BENCH_JVM overrides them): the ones server-config/standalone
// recommends for a server on one or two cores. On the one core the server is pinned to, the JVM's own
// ergonomics would pick the Serial collector too; a small young generation fits a WebSocket server, whose
// garbage is per message and dies young while its live data is per connection, and keeps RSS close to the
// live data instead of a large eden touched once.
const JVM = (process.env.BENCH_JVM || '-Xms32m -Xmx1g -Xmn16m -XX:+UseSerialGC').split(' ');

const duplexCommand = (port, settings = [], jar = 'target/duplex-standalone.jar') => ['java', ...JVM,
  // Duplex's own limits would throttle the benchmark: raised here, never by changing the defaults.
  '-Dduplex.chat.rate-limit.messages=1000000000', '-Dduplex.chat.rate-limit.window-ms=1', '-Dduplex.whiteboard.rate-limit.events=1000000', '-Dduplex.whiteboard.rate-limit.window-ms=1',
  '-Dduplex.send-queue-limit=100000', '-Dduplex.send-queue-bytes=1000000000', '-Dduplex.rate-limit.frames=1000000000',
  // Every loader client comes from 127.0.0.1.
  '-Dduplex.limits.max-connections=100000', '-Dduplex.limits.connections-per-address=100000', '-Dduplex.limits.handshakes-per-address=1000000000',
  ...settings, '-jar', jar, '--host', '127.0.0.1', '--port', String(port)];

/** Duplex as `nodes` nodes of one cluster, with a Redis of the run's own; only for `scenarios`. */
const duplexCluster = (nodes, scenarios) => ({
  protocol: 'duplex',
  nodes,
  command: (port, redisPort) => duplexCommand(port, [`-Dduplex.redis.uri=redis://127.0.0.1:${redisPort}`,
    '-Dduplex.cluster.name=bench']),
  ready: 'Duplex listening',
  scenarios,
});

const servers = {
  duplex: {
    protocol: 'duplex',
    command: (port) => duplexCommand(port),
    ready: 'Duplex listening',
  },
  // The same server from another jar (--baseline), for a before-and-after in one run.
  'duplex-baseline': {
    protocol: 'duplex',
    command: (port) => {
      if (!args.baseline) throw new Error('duplex-baseline needs --baseline <jar>');
      return duplexCommand(port, [], resolve(args.baseline));
    },
    ready: 'Duplex listening',
  },
  // Two nodes of one cluster and their Redis, all three on the one core a single server gets: the same
  // CPU for the same work, so the ratio to `duplex` is what crossing nodes costs. Fan-out only.
  'duplex-2-nodes': duplexCluster(2, ['fanout', 'saturation']),
  // One node of a cluster with every client on it: what a node serves locally with its Redis up, and
  // with its Redis stopped after the warm-up (an outage: local traffic must not suffer from it).
  'duplex-cluster-local': duplexCluster(1, ['fanout']),
  // Three nodes and their Redis, on the one core, with the lobby's users spread over them in turn.
  'duplex-3-nodes': duplexCluster(3, LOBBY_SIZES.map((users) => `lobby-${users}`)),
  'duplex-cluster-local-redis-down': { ...duplexCluster(1, ['fanout']), redisDown: true },
  'tyrus-bare': {
    protocol: 'duplex',
    command: (port) => ['java', ...JVM, '-cp', 'target/duplex-standalone.jar:target/bench', 'BareTyrusChat', String(port)],
    ready: 'bare tyrus peer listening',
  },
  'node-ws': {
    protocol: 'duplex',
    command: (port) => ['node', 'bench/peers/ws-server.mjs', String(port)],
    ready: 'ws peer listening',
  },
  'socket.io': {
    protocol: 'socketio',
    command: (port) => ['node', 'bench/peers/socketio-server.mjs', String(port)],
    ready: 'socket.io peer listening',
  },
};

/**
 * What every server gets before a measured message scenario, as a server that has been running would have
 * had: its hot paths compiled (the JVM's JIT; V8's) and its pools grown. Without it the JVM spends the first
 * seconds compiling on the one core the benchmark gives it: over a third of the CPU of the first 10,000
 * handshakes went to the C2 compiler. The idle scenario has none: its RSS baseline must be a server that has
 * never held connections; it measures connections per second twice instead, cold and warm.
 */
const warmups = (key, server) => key === 'idle' ? [] : server.bases ? [
  // A cluster's every node gets its handshakes compiled, then fan-out over all of them.
  ...server.bases.map((base) => ({ name: 'idle', clients: 2000, base })),
  { name: 'fanout', clients: 200, senders: 10, rates: [20], seconds: 2 },
] : [
  { name: 'idle', clients: 2000 },
  { name: 'fanout', clients: 200, senders: 10, rates: [20], seconds: 2 },
  { name: 'rooms', clients: 100, roomSize: 10, rate: 2, seconds: 2 },
  // A lobby past the threshold, so that its coalesced path is compiled too.
  ...(key.startsWith('lobby-') || key === 'storm' ? [{ name: 'lobby', users: 500, batch: 50, timeoutSeconds: 60 }] : []),
  // Its own board: the measured clients must not load the warm-up's drawings.
  ...(key === 'whiteboard' ? [{ name: 'whiteboard', board: 'warmup', clients: 20, drawers: 5, rate: 50, seconds: 2 }] : []),
];

const scenarios = {
  fanout: { name: 'fanout', clients: 500, senders: 10, rates: [8], seconds: 6 },
  saturation: { name: 'fanout', clients: 500, senders: 10, rates: [8, 12, 16, 20, 24, 32, 40, 48, 64, 96, 128], seconds: 4 },
  rooms: { name: 'rooms', clients: 500, roomSize: 10, rate: 2, seconds: 6 },
  idle: { name: 'idle', clients: IDLE_CLIENTS },
  whiteboard: { name: 'whiteboard', clients: 50, drawers: 10, rate: 50, seconds: 6, only: ['duplex'] },
  storm: { name: 'storm', users: 1000, arrivals: 10000, parallel: 1000, clients: 11000, only: ['duplex'] },
  // The tutorial's server announces every join to everyone (N² frames) and needs minutes from 4,000 users
  // on: every fill is bounded by time, and reports how many had joined when it ran out.
  ...Object.fromEntries(LOBBY_SIZES.map((users) => [`lobby-${users}`, { name: 'lobby', users, batch: 50,
    timeoutSeconds: 180, clients: users }])),
};

// ---- process helpers ------------------------------------------------------------------------------

async function freePort() {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address();
  server.close();
  return port;
}

/** The CPU the processes used, added up. */
function cpuSeconds(pids) {
  return pids.reduce((total, pid) => {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return total + (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, in USER_HZ (100)
  }, 0);
}

/** The memory the processes hold, added up. */
function rssMiB(pids) {
  return pids.reduce((total, pid) => {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return total + (match ? Number(match[1]) / 1024 : 0);
  }, 0);
}

function loadAverage() {
  return Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]);
}

/** Starts a process pinned to core 0 and waits for its line that says it is ready. */
async function startPinned(label, command, ready) {
  const child = spawn('taskset', ['-c', '0', ...command], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  await new Promise((resolveStart, reject) => {
    const timer = setTimeout(() => reject(new Error(`${label} did not start:\n${output}`)), 30_000);
    const watch = (chunk) => {
      output += chunk;
      if (output.includes(ready)) { clearTimeout(timer); resolveStart(); }
    };
    child.stdout.on('data', watch);
    child.stderr.on('data', watch);
    child.on('exit', (code) => reject(new Error(`${label} exited with ${code}:\n${output}`)));
  });
  // The last of what it says, for the report when a run against it fails.
  child.tail = output.slice(-4000);
  const keep = (chunk) => { child.tail = (child.tail + chunk).slice(-4000); };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  return child;
}

async function startServer(name) {
  const server = servers[name];
  if (!server.nodes) {
    const port = await freePort();
    const child = await startPinned(name, server.command(port), server.ready);
    await sleep(1000);
    return { children: [child], pids: [child.pid], port, base: `ws://127.0.0.1:${port}` };
  }
  const redisPort = await freePort();
  const redis = await startPinned('redis', ['redis-server', '--port', String(redisPort), '--bind', '127.0.0.1',
    '--save', '', '--appendonly', 'no'], 'Ready to accept connections');
  const children = [redis];
  const bases = [];
  for (let i = 0; i < server.nodes; i++) {
    const port = await freePort();
    children.push(await startPinned(`${name} node ${i}`, server.command(port, redisPort), server.ready));
    bases.push(`ws://127.0.0.1:${port}`);
  }
  await sleep(1000);
  return { children, pids: children.map((child) => child.pid), base: bases[0], bases, redisPort };
}

/** Stops a cluster's Redis for good, and gives its nodes a moment to notice. */
async function stopRedis(server) {
  const [redis] = server.children;
  const exited = once(redis, 'exit');
  redis.kill('SIGKILL');
  await exited;
  server.pids = server.pids.filter((pid) => pid !== redis.pid);
  server.redisPort = null;
  await sleep(3000);
}

/** Redis' count of calls per command (INFO commandstats), for commands per broadcast. */
function redisCalls(server) {
  if (!server.redisPort) return null;
  const stats = execFileSync('redis-cli', ['-p', String(server.redisPort), 'info', 'commandstats'], { encoding: 'utf8' });
  return Object.fromEntries([...stats.matchAll(/cmdstat_(\w+):calls=(\d+)/g)].map(([, command, calls]) => [command, Number(calls)]));
}

async function stopServer(server) {
  // Nodes first, their Redis last (it is children[0] of a cluster, and the nodes leave through it).
  for (const child of [...server.children].reverse()) {
    if (child.exitCode !== null || child.signalCode !== null) continue;
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    await Promise.race([exited, sleep(10_000).then(() => child.kill('SIGKILL'))]);
  }
}

/** Runs the loader on core 1 against the server, sampling the server's RSS and CPU meanwhile. */
async function runLoader(server, scenario, protocol, { settle = true } = {}) {
  const { pids } = server;
  const cpuBefore = cpuSeconds(pids);
  let measuredCpu = null;
  const rssBefore = rssMiB(pids);
  // Redis' calls while the loader drives (not while it connects and joins), added up over its steps.
  const driven = {};
  let driveStart = null;
  let peakRss = rssBefore;
  const sampler = setInterval(() => { peakRss = Math.max(peakRss, rssMiB(pids)); }, 100);
  const loader = spawn('taskset', ['-c', '1', 'node', 'bench/loader.mjs',
    JSON.stringify({ ...scenario, protocol, base: scenario.base ?? server.base, bases: scenario.base ? undefined : server.bases })],
  { cwd: ROOT, stdio: ['pipe', 'pipe', 'inherit'] });
  let result = null;
  let idleRss = null;
  let buffer = '';
  loader.stdout.on('data', async (chunk) => {
    buffer += chunk;
    let newline;
    while ((newline = buffer.indexOf('\n')) >= 0) {
      const line = JSON.parse(buffer.slice(0, newline));
      buffer = buffer.slice(newline + 1);
      if (line.phase === 'measuring') {
        driveStart = redisCalls(server);
        measuredCpu = cpuSeconds(pids);
      } else if (line.phase === 'measured') {
        measuredCpu = cpuSeconds(pids) - measuredCpu;
        const end = redisCalls(server);
        if (driveStart && end) {
          // Less the INFO that took the first snapshot.
          for (const [command, calls] of Object.entries(end)) driven[command] = (driven[command] ?? 0) + calls - (driveStart[command] ?? 0);
          driven.info -= 1;
        }
      } else if (line.phase === 'connected') {
        if (settle) await sleep(3000); // let the server settle with every connection open
        idleRss = rssMiB(pids);
        loader.stdin.write('measured\n');
      } else {
        result = line;
      }
    }
  });
  const [code] = await once(loader, 'exit');
  clearInterval(sampler);
  if (code !== 0 || !result || result.phase !== 'done') throw new Error(`loader failed: ${JSON.stringify(result)}`);
  const sent = result.steps?.reduce((total, step) => total + step.sent, 0);
  const counted = Object.keys(driven).length > 0 && sent;
  return {
    ...result,
    // Of every command Redis ran while the messages went (the nodes' heartbeats too), and of PUBLISH alone,
    // per message sent.
    redisCommandsPerBroadcast: counted ? Object.values(driven).reduce((a, b) => a + b, 0) / sent : null,
    publishesPerBroadcast: counted ? (driven.publish ?? 0) / sent : null,
    serverCpuSeconds: Math.round((cpuSeconds(pids) - cpuBefore) * 100) / 100,
    // Between the loader's measuring and measured lines: the work measured, without connecting and joining.
    measuredCpuSeconds: measuredCpu,
    peakRssMiB: Math.round(peakRss),
    rssPerConnectionKiB: idleRss === null ? null : Math.round(((idleRss - rssBefore) * 1024) / scenario.clients * 10) / 10,
  };
}

// ---- statistics and the table ---------------------------------------------------------------------

const median = (values) => {
  const sorted = values.filter((v) => v !== null && v !== undefined).sort((a, b) => a - b);
  if (sorted.length === 0) return null;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const fmt = (value, digits = 0) => value === null || value === undefined ? '–'
  : Number(value).toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
function cell(values, digits = 0) {
  const clean = values.filter((v) => v !== null && v !== undefined);
  if (clean.length === 0) return '–';
  if (clean.length === 1) return fmt(clean[0], digits);
  return `${fmt(median(clean), digits)} (${fmt(Math.min(...clean), digits)}–${fmt(Math.max(...clean), digits)})`;
}

/** The fields a table shows for a run: for saturation, the best step with p99 under 1 s. */
function figures(scenarioKey, run) {
  if (scenarioKey === 'idle') return { rssPerConnectionKiB: run.rssPerConnectionKiB, connectionsPerSecond: run.connectionsPerSecond, warmConnectionsPerSecond: run.warmConnectionsPerSecond, peakRssMiB: run.peakRssMiB };
  const steps = run.steps.filter((step) => step.p99 !== null && step.p99 <= 1000);
  const step = scenarioKey === 'saturation'
    ? steps.reduce((best, s) => (!best || s.deliveriesPerSecond > best.deliveriesPerSecond ? s : best), null) || run.steps[0]
    : run.steps[0];
  if (scenarioKey === 'storm') return { ...run.steps[0], loaderBound: false };
  if (scenarioKey.startsWith('lobby-')) {
    return { ...step, cpuMsPerJoin: run.measuredCpuSeconds === null ? null : (run.measuredCpuSeconds * 1000) / step.joined,
      peakRssMiB: run.peakRssMiB, loaderBound: step.loaderCpu > 0.95 };
  }
  return { ...step, serverCpuSeconds: run.serverCpuSeconds, peakRssMiB: run.peakRssMiB, lateJoinP50: run.lateJoinMs?.p50,
    redisCommandsPerBroadcast: run.redisCommandsPerBroadcast, publishesPerBroadcast: run.publishesPerBroadcast,
    loaderBound: step.loaderCpu > 0.95 };
}

const COLUMNS = {
  fanout: [['deliveries/s', 'deliveriesPerSecond'], ['loss', 'loss'], ['p50 ms', 'p50', 1], ['p90 ms', 'p90', 1], ['p99 ms', 'p99', 1], ['max ms', 'max', 1], ['server CPU s', 'serverCpuSeconds', 1], ['peak RSS MiB', 'peakRssMiB'], ['Redis PUBLISH / message', 'publishesPerBroadcast', 2], ['Redis commands / message', 'redisCommandsPerBroadcast', 2]],
  saturation: [['max sustained deliveries/s', 'deliveriesPerSecond'], ['at rate/sender', 'rate'], ['p99 ms', 'p99', 1], ['loss', 'loss'], ['peak RSS MiB', 'peakRssMiB']],
  rooms: [['deliveries/s', 'deliveriesPerSecond'], ['loss', 'loss'], ['p50 ms', 'p50', 1], ['p99 ms', 'p99', 1], ['server CPU s', 'serverCpuSeconds', 1], ['peak RSS MiB', 'peakRssMiB']],
  idle: [['RSS/connection KiB', 'rssPerConnectionKiB', 1], ['connections/s, fresh server', 'connectionsPerSecond'], ['connections/s, warm server', 'warmConnectionsPerSecond'], ['peak RSS MiB', 'peakRssMiB']],
  whiteboard: [['deliveries/s', 'deliveriesPerSecond'], ['loss', 'loss'], ['p50 ms', 'p50', 1], ['p99 ms', 'p99', 1], ['late joiner load ms (p50)', 'lateJoinP50', 1]],
};

const LOBBY_COLUMNS = [['joined', 'joined'], ['fill s', 'fillSeconds', 1], ['server CPU ms/join', 'cpuMsPerJoin', 2],
  ['frames/join', 'framesPerJoin'], ['bytes/join', 'bytesPerJoin'], ['message p50 ms during fill', 'p50', 1],
  ['message p99 ms during fill', 'p99', 1], ['one message to everyone after, ms', 'reachEveryoneMs', 1],
  ['every node shows the total, ms after the last join', 'viewsRightMs'], ['peak RSS MiB', 'peakRssMiB']];
for (const users of LOBBY_SIZES) COLUMNS[`lobby-${users}`] = LOBBY_COLUMNS;
COLUMNS.storm = [['arrivals joined', 'joined'], ['storm s', 'stormSeconds', 1], ['messages', 'messages'], ['deliveries', 'deliveries'],
  ['expected', 'expected'], ['message p50 ms', 'p50', 1], ['message p99 ms', 'p99', 1], ['max ms', 'max', 1]];

const TITLES = {
  fanout: 'Fan-out: 500 clients in /chat, 10 senders at 8 msg/s each (40,000 deliveries/s offered)',
  saturation: 'Saturation: the same, rate per sender raised step by step (8, 12, 16, 20, 24, 32, …) until deliveries stop growing or p99 > 1 s',
  rooms: 'Rooms: 500 clients in 50 rooms of 10, everyone sending 2 msg/s to their room',
  idle: `Idle: ${IDLE_CLIENTS.toLocaleString('en-US')} connections open and silent on a fresh server; then closed and opened again`,
  whiteboard: 'Whiteboard: 50 clients on one board, 10 drawing 50 segments/s, a late joiner every second',
  storm: 'Reconnect storm: 1,000 users talking in /chat (a message every 100 ms) while 10,000 more connect and join at once (1,000 handshakes in flight)',
  ...Object.fromEntries(LOBBY_SIZES.map((users) => [`lobby-${users}`, `Lobby fill: ${users.toLocaleString('en-US')} users join /chat 50 at a time (180 s at most), one user sending a message every 500 ms`])),
};

function table(results, machine) {
  const lines = [`Duplex benchmark, ${machine.date}`, '',
    `Machine: ${machine.cores} cores (${machine.cpu}), ${machine.memoryGiB} GiB; ${machine.java}; Node ${process.version}.`,
    `Server pinned to core 0, loader to core 1; ${REPS} interleaved rounds; median (min–max). Load average before each round: ${machine.loads.map((l) => l.toFixed(2)).join(', ')}.`,
    `Command: \`node bench/run.mjs${process.argv.slice(2).length ? ' ' + process.argv.slice(2).join(' ') : ''}\``, ''];
  for (const key of SCENARIOS) {
    lines.push(`### ${TITLES[key]}`, '');
    const columns = COLUMNS[key];
    lines.push(`| server | ${columns.map((c) => c[0]).join(' | ')} |`, `|---|${columns.map(() => '---:').join('|')}|`);
    for (const server of SERVERS) {
      const runs = results[key]?.[server];
      if (!runs?.length) continue;
      const rows = runs.map((run) => figures(key, run));
      const bound = rows.some((row) => row.loaderBound) ? ' ¹' : '';
      lines.push(`| ${server}${bound} | ${columns.map(([, field, digits]) => cell(rows.map((row) => row[field]), digits ?? 0)).join(' | ')} |`);
    }
    lines.push('');
  }
  lines.push('¹ the loader used over 95% of its core in at least one round: the figure is a floor for that server.');
  return lines.join('\n');
}

// ---- main ---------------------------------------------------------------------------------------

if (!existsSync(resolve(ROOT, 'target/duplex-standalone.jar'))) {
  console.error('Build first: mvn -B -q package -DskipTests');
  process.exit(2);
}
if (!existsSync(resolve(ROOT, 'bench/node_modules/ws'))) {
  console.error('Install the peers first: npm ci --prefix bench');
  process.exit(2);
}
mkdirSync(resolve(ROOT, 'target/bench'), { recursive: true });
execFileSync('javac', ['-d', 'target/bench', '-cp', 'target/duplex-standalone.jar', 'bench/peers/BareTyrusChat.java'], { cwd: ROOT });

const machine = {
  date: new Date().toISOString().slice(0, 10),
  cores: cpus().length,
  cpu: cpus()[0].model.trim(),
  memoryGiB: Math.round(totalmem() / 2 ** 30),
  java: execFileSync('java', ['-version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim() || 'java',
  loads: [],
};
try {
  machine.java = execFileSync('sh', ['-c', 'java -version 2>&1 | head -n 1'], { encoding: 'utf8' }).trim();
} catch { /* keep the default */ }

const results = {};
for (let round = 1; round <= REPS; round++) {
  // A noisy machine skews every figure: wait for the background load to settle first.
  for (let waited = 0; loadAverage() > 1.0 && waited < 60; waited++) await sleep(1000);
  machine.loads.push(loadAverage());
  for (const key of SCENARIOS) {
    for (const name of SERVERS) {
      if (scenarios[key].only && !scenarios[key].only.includes(name)) continue;
      if (servers[name].scenarios && !servers[name].scenarios.includes(key)) continue;
      const server = await startServer(name);
      try {
        for (const warmup of warmups(key, server)) await runLoader(server, warmup, servers[name].protocol, { settle: false });
        if (servers[name].redisDown) await stopRedis(server);
        const run = await runLoader(server, scenarios[key], servers[name].protocol);
        if (key === 'idle') {
          // The same again on the now warm server: what it accepts once its handshake path is compiled.
          const again = await runLoader(server, scenarios[key], servers[name].protocol, { settle: false });
          run.warmConnectionsPerSecond = again.connectionsPerSecond;
        }
        ((results[key] ??= {})[name] ??= []).push(run);
        const shown = figures(key, run);
        console.error(`round ${round} ${key} ${name}: ${JSON.stringify(shown)}`);
      } catch (error) {
        console.error(`round ${round} ${key} ${name}: FAILED ${error.message}`);
        for (const child of server.children) console.error(`  its output ended with:\n${child.tail}`);
      } finally {
        await stopServer(server);
      }
    }
  }
}

const output = table(results, machine);
console.log(output);
mkdirSync(resolve(ROOT, 'bench/results'), { recursive: true });
writeFileSync(resolve(ROOT, 'bench/results/latest.md'), `${output}\n`);
writeFileSync(resolve(ROOT, 'bench/results/latest.json'), `${JSON.stringify({ machine, results }, null, 2)}\n`);
