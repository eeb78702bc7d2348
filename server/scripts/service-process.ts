import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { projectRoot } from '../src/config.js';

/** A port free on 127.0.0.1 right now, for a server started in another process. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export interface ServiceProcess {
  readonly origin: string;
  readonly process: ChildProcess;
  /** A field of /proc/PID/status in MiB, e.g. VmRSS (now) or VmHWM (peak so far). */
  memoryMiB(field: 'VmRSS' | 'VmHWM'): number;
  /** SIGTERM, then SIGKILL after 10 s; resolves once the process has exited. */
  stop(): Promise<void>;
}

/**
 * Starts `node <args>` from the project root (a benchmark's server, on 127.0.0.1:`port`) and
 * resolves once its `/healthz` answers.
 */
export async function startServiceProcess(
  name: string,
  args: readonly string[],
  env: Record<string, string>,
  port: number,
  timeoutMs = 60_000,
): Promise<ServiceProcess> {
  const child = spawn(process.execPath, args, {
    cwd: projectRoot,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const origin = `http://127.0.0.1:${port}`;
  try {
    await waitUntilHealthy(name, child, origin, Date.now() + timeoutMs);
  } catch (err) {
    // A server that never answered may still hold the port: do not leave it behind.
    child.kill('SIGKILL');
    throw err;
  }
  return {
    origin,
    process: child,
    memoryMiB: (field) => {
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      return Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0) / 1024;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}

async function waitUntilHealthy(name: string, child: ChildProcess, origin: string, deadline: number): Promise<void> {
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${origin}/healthz`, { signal: AbortSignal.timeout(5000) })).ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${name} did not start`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
