import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCommandLine, UsageError } from '../../scripts/export/command-line.js';
import { projectRoot } from '../../src/config.js';

const run = promisify(execFile);
const script = path.join(projectRoot, 'server/scripts/export.ts');
let tmp: string;

/** `npm run export -- …args`, as exit code, stdout and stderr. */
async function exportCli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', script, ...args], { env: { ...process.env, LOG_LEVEL: 'silent' } });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

beforeAll(async () => {
  tmp = await mkdtemp(path.join(tmpdir(), 'export-cli-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('npm run export', { timeout: 30_000 }, () => {
  it('prints its usage for --help', async () => {
    const { code, stdout } = await exportCli('--help');
    expect(code).toBe(0);
    expect(stdout).toContain('--base-url URL');
    expect(stdout).toContain('--search-url URL');
  });

  it('refuses a search service that does not answer, before writing anything', async () => {
    const out = path.join(tmp, 'never');
    const { code, stderr } = await exportCli('--out', out, '--base-url', 'https://example.org/edition', '--search-url', 'http://127.0.0.1:1');
    expect(code).toBe(2);
    expect(stderr).toContain('the search service did not answer http://127.0.0.1:1/iiif/search/2/');
    expect(await readdir(tmp)).not.toContain('never');
  });

  it('refuses a bad command line with exit 2, the reason and the usage', async () => {
    const { code, stderr } = await exportCli('--out', 'x', '--base-url', 'ftp://example.org/');
    expect(code).toBe(2);
    expect(stderr).toContain('--base-url must be http or https');
    expect(stderr).toContain('Usage:');
  });

  it.each([
    [[], '--out DIR is required'],
    [['--out', 'x'], '--base-url URL is required'],
    [['--out', 'x', '--base-url', 'not a url'], 'is not a URL'],
    [['--out', 'x', '--base-url', 'https://example.org/?a=1'], 'no query or fragment'],
    [['--out', 'x', '--base-url', 'https://example.org', '--search-url', 'file:///x'], '--search-url must be http or https'],
    [['--out', 'x', '--base-url', 'https://example.org', '--lang', 'de'], '--lang must be ru or en'],
    [['--out', 'x', '--base-url', 'https://example.org', '--tiles'], "Unknown option '--tiles'"],
  ])('says what is wrong with %j', (args, message) => {
    expect(() => parseCommandLine(args)).toThrow(UsageError);
    expect(() => parseCommandLine(args)).toThrow(message);
  });

  it('takes the base URL without its trailing slash', () => {
    expect(parseCommandLine(['--out', 'x', '--base-url', 'https://example.org/edition/', '--search-url', 'https://example.org'])).toMatchObject({
      base: 'https://example.org/edition',
      searchUrl: 'https://example.org',
      lang: 'ru',
    });
  });

  it('refuses to replace a folder that holds something else than an edition', async () => {
    const dir = path.join(tmp, 'notes');
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir);
    await writeFile(path.join(dir, 'keep-me.txt'), 'mine');
    const { code, stderr } = await exportCli('--out', dir, '--base-url', 'https://example.org/edition');
    expect(code).toBe(2);
    expect(stderr).toContain('holds no edition');
    expect(await readdir(dir)).toEqual(['keep-me.txt']);
    expect((await readdir(tmp)).filter((n) => n.includes('.tmp-'))).toEqual([]);
  });
});
