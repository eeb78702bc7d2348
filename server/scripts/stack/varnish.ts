/** Finding and running `varnishd` (Debian package `varnish`) in the foreground for the stack. */
import { type ChildProcess, spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import path from 'node:path';

/** What to install when varnishd is missing, in every message that says so. */
export const varnishPackageHint = 'install the Debian package "varnish" (apt-get install varnish)';

/** varnishd lives in sbin, which is not on every user's PATH. */
const extraDirs = ['/usr/sbin', '/usr/local/sbin'];

/** The path of varnishd, or null when it is not installed. */
export function findVarnishd(searchPath = process.env.PATH ?? '', alsoIn: readonly string[] = extraDirs): string | null {
  const dirs = [...searchPath.split(path.delimiter).filter(Boolean), ...alsoIn];
  for (const dir of dirs) {
    const candidate = path.join(dir, 'varnishd');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return null;
}

/**
 * As root, varnishd drops to its own user by default, which cannot read a private temporary
 * folder; a local stack runs it as whoever started it.
 */
export function jailArgs(): string[] {
  return process.getuid?.() === 0 ? ['-j', 'none'] : [];
}

export interface VarnishOptions {
  readonly varnishd: string;
  /** Its working directory (-n): shared memory log and compiled VCL; varnishlog -n reads it. */
  readonly workDir: string;
  readonly vclFile: string;
  readonly listen: { host: string; port: number };
  readonly storage?: string;
  /** Where its own output goes; 'pipe' keeps the last lines for error messages. */
  readonly output: 'inherit' | 'pipe';
}

export interface VarnishProcess {
  readonly process: ChildProcess;
  /** Its last lines of output (with output 'pipe'). */
  tail(): string;
}

export function startVarnish(o: VarnishOptions): VarnishProcess {
  const args = [
    '-F',
    '-n', o.workDir,
    '-a', `${o.listen.host}:${o.listen.port}`,
    '-f', o.vclFile,
    '-s', o.storage ?? 'malloc,256m',
    // Without it Varnish rewrites Accept-Encoding to gzip and brotli bodies are never used.
    '-p', 'http_gzip_support=off',
    // No management port: nothing here needs varnishadm, and bans come over HTTP.
    '-T', 'none',
    ...jailArgs(),
  ];
  const child = spawn(o.varnishd, args, { stdio: ['ignore', o.output, o.output] });
  const lines: string[] = [];
  if (o.output === 'pipe') {
    for (const stream of [child.stdout!, child.stderr!]) {
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => {
        lines.push(...chunk.split('\n').filter(Boolean));
        if (lines.length > 60) lines.splice(0, lines.length - 60);
      });
    }
  }
  return { process: child, tail: () => lines.join('\n') };
}
