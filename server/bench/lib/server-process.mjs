// The server under test as a child process, and reading a process's resident memory.
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';

/** Start `node CLI --port 0 ...args`; resolve once it logs `listening`. */
export function startServerProcess(cli, args) {
  const child = spawn(process.execPath, [cli, '--port', '0', ...args], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal)));
  let stderr = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk) => {
      stderr += String(chunk);
      for (const line of stderr.split('\n')) {
        if (!line.includes('"listening"')) continue;
        try {
          const port = JSON.parse(line).port;
          if (typeof port === 'number') {
            child.stderr.off('data', onData);
            // Keep draining stderr so the child never blocks on a full pipe; show warnings and errors.
            child.stderr.on('data', (more) => {
              for (const text of String(more).split('\n')) {
                if (/"level":"?(warn|error|fatal|[4-6]0)\b/.test(text)) process.stderr.write(`  [server] ${text}\n`);
              }
            });
            resolve({ child, port, exited });
            return;
          }
        } catch {}
      }
    };
    child.stderr.on('data', onData);
    exited.then((code) => reject(new Error(`the server exited (${code}) before listening:\n${stderr}`)));
  });
}

/** `{ rss, hwm }` in bytes from /proc/PID/status, or undefined where /proc is missing. */
export function readRss(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field) => {
      const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
      return match ? Number(match[1]) * 1024 : undefined;
    };
    return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
  } catch {
    return undefined;
  }
}

/**
 * Peak resident memory of a process over one workload: resets the kernel's high-water mark
 * (`echo 5 > /proc/PID/clear_refs`, Linux ≥ 4.0, same user) and also polls VmRSS every 5 ms,
 * in case the reset is not allowed.
 */
export class RssMonitor {
  #pid;
  #timer;
  #idle;
  #peak = 0;
  #hwmReset = false;

  constructor(pid) {
    this.#pid = pid;
  }

  /** Call right before the workload's first request; idempotent. */
  start() {
    if (this.#timer) return;
    try {
      writeFileSync(`/proc/${this.#pid}/clear_refs`, '5');
      this.#hwmReset = true;
    } catch {
      this.#hwmReset = false;
    }
    const now = readRss(this.#pid);
    this.#idle = now?.rss;
    this.#peak = now?.rss ?? 0;
    this.#timer = setInterval(() => {
      const sample = readRss(this.#pid);
      if (sample?.rss > this.#peak) this.#peak = sample.rss;
    }, 5);
    this.#timer.unref();
  }

  /** `{ idle, peak, method }` in bytes, or undefined if nothing could be read. */
  stop() {
    if (!this.#timer) return undefined;
    clearInterval(this.#timer);
    this.#timer = undefined;
    const last = readRss(this.#pid);
    if (this.#idle === undefined || !last) return undefined;
    let peak = Math.max(this.#peak, last.rss ?? 0);
    if (this.#hwmReset && last.hwm) peak = Math.max(peak, last.hwm);
    return {
      idle: this.#idle,
      peak,
      method: this.#hwmReset ? 'VmHWM (reset) + VmRSS polling' : 'VmRSS polling (5 ms)',
    };
  }
}
