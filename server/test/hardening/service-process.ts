import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { freePort } from '../../scripts/service-process.js';
import { projectRoot } from '../../src/config.js';

export type LogLine = Record<string, unknown> & { msg?: string; level?: number };

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** When it exited (Date.now()). */
  at: number;
}

/**
 * The real service (`server/src/main.ts`) in a child process, on a free port of 127.0.0.1.
 * Node runs main.ts itself (through tsx's loader), so signals reach the service, not a wrapper.
 */
export class ServiceProcess {
  readonly logs: LogLine[] = [];
  /** Lines on stdout/stderr that are not JSON (a crash's stack, for instance). */
  readonly rawOutput: string[] = [];
  readonly exited: Promise<Exit>;
  url = '';
  private readonly child: ChildProcess;
  private readonly waiters = new Set<() => void>();

  constructor(env: Record<string, string>) {
    this.child = spawn(process.execPath, ['--import', 'tsx', path.join('server', 'src', 'main.ts')], {
      cwd: projectRoot,
      env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'info', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    for (const stream of [this.child.stdout!, this.child.stderr!]) {
      createInterface({ input: stream }).on('line', (line) => {
        try {
          this.logs.push(JSON.parse(line) as LogLine);
        } catch {
          this.rawOutput.push(line);
        }
        for (const wake of this.waiters) wake();
      });
    }
    this.exited = new Promise((resolve) => {
      this.child.once('exit', (code, signal) => {
        resolve({ code, signal, at: Date.now() });
        for (const wake of this.waiters) wake();
      });
    });
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  /** Starts the service and waits until it listens. */
  static async start(env: Record<string, string>, timeoutMs = 30_000): Promise<ServiceProcess> {
    const service = new ServiceProcess(env);
    const line = await service.waitForLog((l) => typeof l.port === 'number' && String(l.msg).startsWith('listening'), timeoutMs);
    service.url = `http://127.0.0.1:${String(line.port)}`;
    return service;
  }

  /**
   * Starts the service on a port picked here and waits until /readyz answers 200: for runs
   * whose LOG_LEVEL hides the "listening" line (the soak keeps request logs out of the way).
   */
  static async startQuiet(env: Record<string, string>, timeoutMs = 30_000): Promise<ServiceProcess> {
    const port = await freePort();
    const service = new ServiceProcess({ ...env, PORT: String(port) });
    service.url = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const status = await fetch(`${service.url}/readyz`).then((r) => r.status, () => 0);
      if (status === 200) return service;
      if (Date.now() > deadline || service.child.exitCode !== null) {
        await service.stop();
        throw new Error(`service not ready within ${timeoutMs} ms; output:\n${service.tail()}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** Resolves with the first log line (already written or still to come) matching `match`. */
  waitForLog(match: (line: LogLine) => boolean, timeoutMs = 20_000): Promise<LogLine> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = this.logs.find(match);
        if (found) {
          done();
          resolve(found);
        } else if (this.child.exitCode !== null || this.child.signalCode !== null) {
          done();
          reject(new Error(`service exited before the expected log line; output:\n${this.tail()}`));
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`expected log line not seen within ${timeoutMs} ms; output:\n${this.tail()}`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(check);
      };
      this.waiters.add(check);
      check();
    });
  }

  signal(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }

  /** Stops the service if it still runs (tests call this in afterEach). */
  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      this.child.kill('SIGKILL');
      await this.exited;
    }
  }

  /** The last lines of output, for failure messages. */
  tail(n = 30): string {
    return [...this.logs.map((l) => JSON.stringify(l)), ...this.rawOutput].slice(-n).join('\n');
  }
}

/** A fresh temporary folder, removed by the returned function. */
export async function tempDir(prefix: string): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), `${prefix}-`));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}
