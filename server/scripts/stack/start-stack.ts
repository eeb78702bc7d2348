/**
 * The stack: N instances of the compiled service (started as `npm start` starts it) on free
 * ports of 127.0.0.1, sharing one CACHE_DIR, behind one varnishd running
 * deploy/varnish/default.vcl. Used by `npm run stack` and by the integration tests.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { projectRoot } from '../../src/config.js';
import { buildServer, startArgs } from '../build-server.js';
import { freePort } from '../service-process.js';
import { backendsVcl } from './backends-vcl.js';
import { findVarnishd, startVarnish, varnishPackageHint, type VarnishProcess } from './varnish.js';

export const defaultVclFile = path.join(projectRoot, 'deploy', 'varnish', 'default.vcl');

export interface StackOptions {
  readonly instances: number;
  /** Port of the front (varnishd) on 127.0.0.1; 0 picks a free one. */
  readonly port: number;
  /** Environment of every instance (IMAGES_DIR, CACHE_DIR …, absolute folders). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Children's output: shown, or kept out of the way (tests). */
  readonly output: 'inherit' | 'quiet';
  readonly vclFile?: string;
  /** How long the instances and the cache may take to answer. */
  readonly startTimeoutMs?: number;
}

export interface StackInstance {
  readonly origin: string;
  readonly process: ChildProcess;
  readonly exited: Promise<void>;
}

export interface Stack {
  /** The URL clients use, and every published id starts with. */
  readonly front: string;
  readonly instances: readonly StackInstance[];
  /** varnishd's -n folder (varnishlog -n, varnishstat -n). */
  readonly varnishWorkDir: string;
  readonly varnish: ChildProcess;
  /** Stops varnishd and every instance still running; resolves once all have exited. */
  stop(): Promise<void>;
}

export class VarnishMissingError extends Error {
  override name = 'VarnishMissingError';
}

export async function startStack(o: StackOptions): Promise<Stack> {
  if (!Number.isInteger(o.instances) || o.instances < 1 || o.instances > 64) {
    throw new Error(`--instances must be a whole number from 1 to 64, not ${o.instances}`);
  }
  const varnishd = findVarnishd();
  if (!varnishd) throw new VarnishMissingError(`varnishd not found on PATH or in /usr/sbin: ${varnishPackageHint}`);
  await buildServer();
  const timeoutMs = o.startTimeoutMs ?? 60_000;
  const port = o.port === 0 ? await freePort() : o.port;
  const front = `http://127.0.0.1:${port}`;
  const work = await mkdtemp(path.join(tmpdir(), 'iiif-stack-'));
  const children: ChildProcess[] = [];
  const stop = async () => {
    await Promise.all(children.map(stopChild));
    await rm(work, { recursive: true, force: true });
  };
  try {
    const instances: StackInstance[] = [];
    for (let i = 0; i < o.instances; i++) {
      const instancePort = await freePort();
      const child = spawn(process.execPath, startArgs(), {
        cwd: projectRoot,
        env: {
          ...o.env,
          HOST: '127.0.0.1',
          PORT: String(instancePort),
          // Ids never depend on what a client sends; the cache is told of replaced images.
          PUBLIC_BASE_URL: front,
          TRUST_PROXY: 'false',
          CACHE_PURGE_URL: front,
        },
        stdio: ['ignore', o.output === 'inherit' ? 'inherit' : 'ignore', 'inherit'],
      });
      children.push(child);
      instances.push({ origin: `http://127.0.0.1:${instancePort}`, process: child, exited: exitOf(child) });
    }
    const deadline = Date.now() + timeoutMs;
    await Promise.all(instances.map((s, i) => waitForReady(`instance ${i + 1}`, s.process, `${s.origin}/readyz`, deadline)));

    // The VCL includes ./backends.vcl: both go in a folder of their own.
    const vclFile = path.join(work, 'default.vcl');
    await copyFile(o.vclFile ?? defaultVclFile, vclFile);
    const addresses = instances.map((s) => ({ host: '127.0.0.1', port: Number(new URL(s.origin).port) }));
    await writeFile(path.join(work, 'backends.vcl'), backendsVcl({ instances: addresses, publicHost: `127.0.0.1:${port}` }));
    const varnishWorkDir = path.join(work, 'varnish');
    const varnish: VarnishProcess = startVarnish({
      varnishd,
      workDir: varnishWorkDir,
      vclFile,
      listen: { host: '127.0.0.1', port },
      output: o.output === 'inherit' ? 'inherit' : 'pipe',
    });
    children.unshift(varnish.process);
    await waitForReady('varnishd', varnish.process, `${front}/readyz`, deadline, varnish.tail);
    return { front, instances, varnishWorkDir, varnish: varnish.process, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

function exitOf(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
}

/** SIGTERM (the service drains, varnishd stops), then SIGKILL after 10 s. */
async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = exitOf(child);
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

async function waitForReady(name: string, child: ChildProcess, url: string, deadline: number, tail?: () => string): Promise<void> {
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      const output = tail?.();
      throw new Error(`${name} exited (${child.exitCode ?? child.signalCode}) before it was ready${output ? `:\n${output}` : ''}`);
    }
    const status = await fetch(url, { signal: AbortSignal.timeout(2000) }).then(
      async (r) => {
        await r.arrayBuffer();
        return r.status;
      },
      () => 0,
    );
    if (status === 200) return;
    if (Date.now() > deadline) throw new Error(`${name} not ready at ${url} in time${tail ? `:\n${tail()}` : ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
