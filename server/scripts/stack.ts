/**
 * `npm run stack [-- [--instances N] [--port P]]`: N instances of the service behind Varnish
 * on this machine, as deployed (README, "Deploying"). Installs nothing: without varnishd it
 * exits 1 naming the package. Ctrl-C or SIGTERM stops everything.
 */
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../src/config.js';
import { failFast } from '../src/fail-fast.js';
import { startStack, VarnishMissingError } from './stack/start-stack.js';

const help = `Usage: npm run stack [-- [--instances N] [--port P]]

Starts N instances (default 2) of the compiled service on free ports of 127.0.0.1, all
sharing one CACHE_DIR, and varnishd in front of them with deploy/varnish/default.vcl on
127.0.0.1:P (default 6081; 0 picks a free port), then prints the front URL. Ctrl-C stops
everything. The instances read the environment as \`npm start\` does; the stack sets their
PORT, HOST, PUBLIC_BASE_URL (the front URL), TRUST_PROXY=false and CACHE_PURGE_URL.
Needs varnishd (Debian package "varnish"); installs nothing.
`;

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

function wholeNumber(name: string, value: string, min: number, max: number): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min || n > max) fail(`--${name} must be a whole number from ${min} to ${max}, not "${value}"`);
  return n;
}

let args;
try {
  args = parseArgs({
    options: {
      instances: { type: 'string', default: '2' },
      port: { type: 'string', default: '6081' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  }).values;
} catch (err) {
  fail(`${(err as Error).message}\n\n${help}`);
}
if (args.help) {
  process.stdout.write(help);
  process.exit(0);
}
const instances = wholeNumber('instances', args.instances, 1, 64);
const port = wholeNumber('port', args.port, 0, 65535);
// Checked here once, so that a bad variable is one message, not one per instance; the folders
// are passed resolved, since the instances run from the project root. The stack sets the rest.
const { PORT, HOST, PUBLIC_BASE_URL, TRUST_PROXY, CACHE_PURGE_URL, ...env } = process.env;
const config = await failFast(() => loadConfig(env), ConfigError);

let stack;
try {
  stack = await startStack({
    instances,
    port,
    output: 'inherit',
    env: {
      ...env,
      IMAGES_DIR: config.imagesDir,
      MANIFESTS_DIR: config.manifestsDir,
      CACHE_DIR: config.cacheDir,
    },
  });
} catch (err) {
  fail(err instanceof VarnishMissingError ? err.message : `cannot start the stack: ${(err as Error).message}`);
}
process.stdout.write(
  [
    `${stack.front}/  (Varnish in front of ${instances} instance${instances === 1 ? '' : 's'})`,
    ...stack.instances.map((s, i) => `  instance ${i + 1}: ${s.origin}`),
    `  shared CACHE_DIR: ${config.cacheDir}`,
    `  varnishlog -n ${stack.varnishWorkDir}`,
    'Ctrl-C stops everything.',
    '',
  ].join('\n'),
);

let stopping = false;
const shutdown = (code: number) => {
  if (stopping) return;
  stopping = true;
  void stack.stop().then(() => process.exit(code));
};
process.on('SIGINT', () => shutdown(0));
process.on('SIGTERM', () => shutdown(0));
// Without the cache nothing is reachable: stop the rest. A lost instance is routed around.
stack.varnish.once('exit', (code, signal) => {
  if (stopping) return;
  process.stderr.write(`varnishd exited (${code ?? signal}); stopping the instances\n`);
  shutdown(1);
});
stack.instances.forEach((s, i) =>
  s.process.once('exit', (code, signal) => {
    if (!stopping) process.stderr.write(`instance ${i + 1} exited (${code ?? signal}); Varnish routes around it\n`);
  }),
);
