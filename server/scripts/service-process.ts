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
  /** A field of /proc/PID/status in MiB, e.g. VmRSS (now) or VmHWM (peak so far); 0 once it has exited. */
  memoryMiB(field: 'VmRSS' | 'VmHWM'): number;
  /** The RSS in MiB at which the memory guard killed the process, or null while it has not. */
  killedAtMiB(): number | null;
  /** SIGTERM, then SIGKILL after 10 s; resolves once the process has exited. */
  stop(): Promise<void>;
}

export interface StartOptions {
  /** The path that must answer 200 before the service counts as started. */
  readonly probe?: string;
  /** How often the probe is tried, in ms. */
  readonly pollMs?: number;
  /** SIGKILL the process as soon as its RSS exceeds this many MiB (checked every 200 ms). */
  readonly memoryLimitMiB?: number;
  /** Where the process's stdout goes (a file descriptor); discarded by default. */
  readonly stdout?: number;
}

/** Why a service did not start: it timed out, exited, or was killed above its memory limit. */
export class ServiceStartError extends Error {
  constructor(
    readonly reason: 'timeout' | 'exit' | 'memory',
    message: string,
    /** The process's RSS when it was given up on (or killed), in MiB; 0 once it had exited. */
    readonly rssMiB: number,
  ) {
    super(message);
  }
}

function statusMiB(pid: number | undefined, field: string): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0) / 1024;
  } catch {
    return 0; // exited meanwhile
  }
}

/**
 * Starts `node <args>` from the project root (a benchmark's server, on 127.0.0.1:`port`) and
 * resolves once its `/healthz` (or `options.probe`) answers 200.
 */
export async function startServiceProcess(
  name: string,
  args: readonly string[],
  env: Record<string, string>,
  port: number,
  timeoutMs = 60_000,
  options: StartOptions = {},
): Promise<ServiceProcess> {
  const child = spawn(process.execPath, args, {
    cwd: projectRoot,
    env: { ...process.env, ...env },
    stdio: ['ignore', options.stdout ?? 'ignore', 'inherit'],
  });
  let killedAt: number | null = null;
  const limit = options.memoryLimitMiB;
  const guard =
    limit === undefined
      ? null
      : setInterval(() => {
          const rss = statusMiB(child.pid, 'VmRSS');
          if (rss > limit && killedAt === null) {
            killedAt = rss;
            child.kill('SIGKILL');
          }
        }, 200);
  guard?.unref();
  child.once('exit', () => {
    if (guard) clearInterval(guard);
  });
  const origin = `http://127.0.0.1:${port}`;
  try {
    await waitUntilHealthy(name, child, origin, Date.now() + timeoutMs, options.probe ?? '/healthz', options.pollMs ?? 100, () => killedAt);
  } catch (err) {
    // A server that never answered may still hold the port: do not leave it behind.
    child.kill('SIGKILL');
    throw err;
  }
  return {
    origin,
    process: child,
    memoryMiB: (field) => statusMiB(child.pid, field),
    killedAtMiB: () => killedAt,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}

async function waitUntilHealthy(
  name: string,
  child: ChildProcess,
  origin: string,
  deadline: number,
  probe: string,
  pollMs: number,
  killedAt: () => number | null,
): Promise<void> {
  for (;;) {
    const killed = killedAt();
    if (killed !== null) throw new ServiceStartError('memory', `${name} was killed at ${killed.toFixed(0)} MiB RSS`, killed);
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new ServiceStartError('exit', `${name} exited with ${child.exitCode ?? child.signalCode}`, 0);
    }
    try {
      if ((await fetch(`${origin}${probe}`, { signal: AbortSignal.timeout(5000) })).ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new ServiceStartError('timeout', `${name} did not start`, statusMiB(child.pid, 'VmRSS'));
    await new Promise((r) => setTimeout(r, pollMs));
  }
}
