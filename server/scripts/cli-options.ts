/**
 * The command line of a script: its options with `-h`/`--help` added, which prints `usage`
 * and exits 0; an unknown option or a missing value prints the problem and `usage` and exits 2
 * rather than a stack trace.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';

type Options = NonNullable<ParseArgsConfig['options']>;

export function cliOptions<T extends Options>(usage: string, options: T) {
  const all = { ...options, help: { type: 'boolean', short: 'h', default: false } } as const;
  let parsed;
  try {
    parsed = parseArgs({ options: all, strict: true, allowPositionals: false } as const);
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n\n${usage}`);
    process.exit(2);
  }
  if ((parsed.values as { help?: boolean }).help) {
    process.stdout.write(usage);
    process.exit(0);
  }
  return parsed;
}
