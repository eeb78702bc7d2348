/**
 * `npm run export -- --out DIR --base-url URL [--search-url URL]`: writes the whole edition as
 * static files (server/src/export/). Exit 0 when written, 1 when the export failed, 2 for a
 * bad command line.
 */
import path from 'node:path';
import { Presets, SingleBar } from 'cli-progress';
import { pino } from 'pino';
import { ConfigError, loadConfig, projectRoot } from '../src/config.js';
import { DocumentDataError } from '../src/document/document-error.js';
import { loadDocuments } from '../src/document/load-document.js';
import { exportEdition } from '../src/export/export-edition.js';
import { checkSearchService, SearchServiceError } from '../src/export/search-check.js';
import { OutputFolderError } from '../src/export/staging.js';
import { help, parseCommandLine, UsageError } from './export/command-line.js';

async function main(): Promise<number> {
  let args;
  try {
    args = parseCommandLine(process.argv.slice(2));
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`export: ${err.message}\n\n${help}`);
    return 2;
  }
  if (args === null) {
    process.stdout.write(help);
    return 0;
  }
  let config;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`export: ${err.message}\n`);
    return 2;
  }
  const logger = pino({ level: config.logLevel === 'info' ? 'warn' : config.logLevel });
  const bar = process.stderr.isTTY
    ? new SingleBar({ format: ' {bar} {percentage}% | {value}/{total} image files | {what}', hideCursor: true, stream: process.stderr }, Presets.shades_classic)
    : null;
  let started = false;
  try {
    const documents = await loadDocuments(config.manifestsDir);
    if (args.searchUrl !== null) for (const document of documents) await checkSearchService(args.searchUrl, args.base, document);
    const summary = await exportEdition({
      ...args,
      config,
      documents,
      viewerDist: path.join(projectRoot, 'viewer', 'dist'),
      logger,
      onProgress: (done, total, what) => {
        if (!bar) return;
        if (!started) bar.start(total, 0, { what });
        started = true;
        bar.update(done, { what });
      },
    });
    bar?.stop();
    process.stdout.write(
      [
        `edition:  ${args.outDir}`,
        `base URL: ${args.base}`,
        `images:   ${summary.images} (${summary.rendered} written, ${summary.reused} unchanged)`,
        `files:    ${summary.files} (${(summary.bytes / (1024 * 1024)).toFixed(1)} MiB written)`,
        `search:   ${args.searchUrl ?? 'none declared'}`,
        `seconds:  ${summary.seconds.toFixed(1)}`,
      ].join('\n') + '\n',
    );
    return 0;
  } catch (err) {
    bar?.stop();
    if (err instanceof OutputFolderError || err instanceof SearchServiceError || err instanceof DocumentDataError) {
      process.stderr.write(`export: ${err.message}\n`);
      return err instanceof DocumentDataError ? 1 : 2;
    }
    process.stderr.write(`export failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    return 1;
  }
}

process.exitCode = await main();
