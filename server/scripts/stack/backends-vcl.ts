/**
 * deploy/varnish/backends.vcl, the part of the Varnish configuration that names the instances:
 * one backend each (probed on /readyz), the round-robin director `instances`, the public Host
 * every request is keyed and answered as, and the order in which a failed request is retried.
 * `npm run stack` writes one for its own instances; the committed file is the same template
 * for two instances on one machine, which a deployment edits.
 */

export interface BackendAddress {
  readonly host: string;
  readonly port: number;
}

export interface BackendsVclOptions {
  readonly instances: readonly BackendAddress[];
  /** Host (and port, unless the default) of the public URL, as in PUBLIC_BASE_URL. */
  readonly publicHost: string;
}

const hostPattern = /^[A-Za-z0-9.\-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/;

export function backendsVcl({ instances, publicHost }: BackendsVclOptions): string {
  if (instances.length === 0) throw new Error('backends.vcl needs at least one instance');
  if (!hostPattern.test(publicHost)) throw new Error(`Invalid public host "${publicHost}": expected name[:port]`);
  const names = instances.map((_, i) => `instance${i + 1}`);
  const backends = instances.map((a, i) => {
    if (!hostPattern.test(a.host) || !Number.isInteger(a.port) || a.port < 1 || a.port > 65535) {
      throw new Error(`Invalid instance address ${a.host}:${a.port}`);
    }
    return [
      `backend ${names[i]} {`,
      `    .host = "${a.host}";`,
      `    .port = "${a.port}";`,
      '    .probe = ready;',
      // Renders may queue for RENDER_TIMEOUT_MS (20 s by default) before the first byte.
      '    .first_byte_timeout = 30s;',
      '}',
    ].join('\n');
  });
  // After instance k fails, the next healthy one in the ring (k+1, k+2, …); the director's
  // own choice could land on the failed one again before its probe has noticed.
  const retry = names.map((failed, i) => {
    const others = [...names.slice(i + 1), ...names.slice(0, i)];
    const picks = others.map((o, j) => `        ${j === 0 ? 'if' : '} elsif'} (std.healthy(${o})) {\n            set bereq.backend = ${o};`);
    const body = picks.length > 0 ? `${picks.join('\n')}\n        }` : '        # a single instance: nowhere else to go';
    return `    ${i === 0 ? 'if' : '} elsif'} (bereq.http.X-Failed-Instance == "${failed}") {\n${body}`;
  });
  return [
    '# The instances of the IIIF service behind this cache (included by default.vcl).',
    '# `npm run stack` writes this file for the instances it starts; for a deployment, list',
    '# one backend per instance, add each to the director and to retry_elsewhere, and set',
    '# pin_host to the host of PUBLIC_BASE_URL.',
    '',
    ...backends.flatMap((b) => [b, '']),
    'sub vcl_init {',
    '    new instances = directors.round_robin();',
    ...names.map((n) => `    instances.add_backend(${n});`),
    '}',
    '',
    '# Every request is keyed and answered as if for the public host.',
    'sub pin_host {',
    `    set req.http.Host = "${publicHost}";`,
    '}',
    '',
    '# Where a GET or HEAD goes after an instance failed it (vcl_backend_fetch, on a retry).',
    'sub retry_elsewhere {',
    ...retry,
    '    }',
    '}',
    '',
  ].join('\n');
}
