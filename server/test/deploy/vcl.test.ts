import { execFile } from 'node:child_process';
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { backendsVcl } from '../../scripts/stack/backends-vcl.js';
import { defaultVclFile } from '../../scripts/stack/start-stack.js';
import { findVarnishd, jailArgs, varnishPackageHint } from '../../scripts/stack/varnish.js';
import { projectRoot } from '../../src/config.js';
import { imageBanPattern } from '../../src/http/cache-ban.js';

const run = promisify(execFile);

function varnishd(): string {
  const found = findVarnishd();
  if (!found) throw new Error(`varnishd is needed for these tests: ${varnishPackageHint}`);
  return found;
}

const example = {
  instances: [
    { host: '127.0.0.1', port: 3001 },
    { host: '127.0.0.1', port: 3002 },
  ],
  publicHost: 'iiif.example.org',
};

describe('deploy/varnish', () => {
  it('ships backends.vcl as the stack writes it, for the documented two instances', async () => {
    const committed = await readFile(path.join(projectRoot, 'deploy', 'varnish', 'backends.vcl'), 'utf8');
    expect(committed).toBe(backendsVcl(example));
  });

  it.each([1, 2, 3])('compiles with varnishd for %i instance(s)', async (n) => {
    const dir = await mkdtemp(path.join(tmpdir(), 'iiif-vcl-'));
    try {
      await copyFile(defaultVclFile, path.join(dir, 'default.vcl'));
      const instances = Array.from({ length: n }, (_, i) => ({ host: '127.0.0.1', port: 3001 + i }));
      await writeFile(path.join(dir, 'backends.vcl'), backendsVcl({ instances, publicHost: '127.0.0.1:6081' }));
      // -C: translate to C and print it (on stderr); a VCL error is a non-zero exit naming the line.
      const { stderr } = await run(varnishd(), [...jailArgs(), '-C', '-f', path.join(dir, 'default.vcl')], { maxBuffer: 64 * 1024 * 1024 });
      for (let i = 1; i <= n; i++) expect(stderr).toContain(`instance${i}`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('finds varnishd on PATH or in sbin, and names the package when it is nowhere', () => {
    expect(findVarnishd('', [])).toBeNull();
    expect(findVarnishd(path.join(projectRoot, 'deploy'), [])).toBeNull();
    expect(varnishPackageHint).toMatch(/Debian package "varnish"/);
  });

  it('refuses addresses and hosts that would break the VCL', () => {
    expect(() => backendsVcl({ instances: [], publicHost: 'a' })).toThrow(/at least one instance/);
    expect(() => backendsVcl({ ...example, publicHost: 'a"; }' })).toThrow(/Invalid public host/);
    expect(() => backendsVcl({ instances: [{ host: '127.0.0.1', port: 0 }], publicHost: 'a' })).toThrow(/Invalid instance address/);
  });
});

describe('imageBanPattern', () => {
  const banned = (id: string, url: string) => new RegExp(imageBanPattern(id)).test(url);

  it('covers the image in both Image API versions, and the Presentation and Search resources', () => {
    expect(banned('a.b', '/iiif/3/a.b/0,0,512,512/512,/0/default.jpg')).toBe(true);
    expect(banned('a.b', '/iiif/2/a.b/info.json')).toBe(true);
    expect(banned('a.b', '/iiif/3/a.b')).toBe(true);
    expect(banned('a.b', '/iiif/presentation/3/doc/manifest')).toBe(true);
    expect(banned('a.b', '/iiif/search/2/doc?q=x')).toBe(true);
  });

  it('leaves other images alone: the dot is literal and the identifier ends at a slash', () => {
    expect(banned('a.b', '/iiif/3/aXb/info.json')).toBe(false);
    expect(banned('a.b', '/iiif/3/a.bc/info.json')).toBe(false);
    expect(banned('a.b', '/viewer/a.b')).toBe(false);
    expect(imageBanPattern('a.b')).not.toMatch(/[\s\\"]/);
  });
});
