// Starts the packaged standalone server and Debian's chromium for the page tests.
import { execFileSync, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { mkdirSync } from 'node:fs';
import { once } from 'node:events';
import { resolve } from 'node:path';
import { chromium } from 'playwright-core';

const ROOT = resolve(import.meta.dirname, '../../..');
export const SCREENSHOTS = resolve(ROOT, 'target/browser-screenshots');
const JAR = resolve(ROOT, 'target/duplex-standalone.jar');
const JAVA = process.env.JAVA_HOME ? resolve(process.env.JAVA_HOME, 'bin/java') : 'java';

export async function freePort() {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address();
  server.close();
  await once(server, 'close');
  return port;
}

/** The standalone jar on a loopback port, with settings of its own; restartable on the same port. */
export class DuplexServer {
  /** {@code settings}: Duplex settings, passed as system properties (e.g. duplex.redis.uri). */
  constructor(port, settings = {}) {
    this.port = port;
    this.settings = settings;
    this.url = `http://127.0.0.1:${port}/`;
  }

  async start() {
    const properties = Object.entries(this.settings).map(([key, value]) => `-D${key}=${value}`);
    this.process = spawn(JAVA, [...properties, '-jar', JAR, '--host', '127.0.0.1', '--port', String(this.port)],
      { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    await new Promise((resolveStart, reject) => {
      const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 30_000);
      const watch = (chunk) => {
        output += chunk;
        if (output.includes('Duplex listening on')) {
          clearTimeout(timer);
          resolveStart();
        }
      };
      this.process.stdout.on('data', watch);
      this.process.stderr.on('data', watch);
      this.process.on('exit', (code) => reject(new Error(`server exited with ${code}:\n${output}`)));
    });
    return this;
  }

  async stop() {
    if (!this.process || this.process.exitCode !== null) return;
    const exited = once(this.process, 'exit');
    this.process.kill('SIGTERM');
    await exited;
  }
}

export async function launchBrowser() {
  mkdirSync(SCREENSHOTS, { recursive: true });
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/** A fresh page in its own context (its own storage), sized like a laptop or a phone. */
export async function openPage(browser, url, viewport = { width: 1200, height: 850 }) {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  page.errors = [];
  page.on('pageerror', (error) => page.errors.push(error));
  await page.goto(url);
  return page;
}

export function screenshot(page, name) {
  return page.screenshot({ path: resolve(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/**
 * Cuts the browser's TCP connections to the server without a close frame (the kernel resets them, as a
 * phone leaving its network would leave them dead): every established socket of a chromium process to the
 * port. Needs root (`ss -K`). Returns how many were cut.
 */
export function cutBrowserConnections(port) {
  const listing = execFileSync('ss', ['-tnpH', 'state', 'established', 'dport', '=', `:${port}`], { encoding: 'utf8' });
  const ports = listing.split('\n').filter((line) => line.includes('chrom'))
    .map((line) => line.trim().split(/\s+/)[2].split(':').pop());
  for (const local of ports) {
    execFileSync('ss', ['-K', 'src', '127.0.0.1', 'sport', '=', `:${local}`, 'dport', '=', `:${port}`]);
  }
  return ports.length;
}
