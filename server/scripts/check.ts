/**
 * `npm run check`: checks every document in MANIFESTS_DIR as the service would serve it — the
 * record and translation schemas, the transcriptions, the translation targets, and every
 * Presentation resource against our schemas — and writes the catalog the service starts from
 * (CACHE_DIR/catalog/), recording what passed, and each passed document's Presentation build
 * (CACHE_DIR/presentation/) for the base URL the service publishes under. A folder unchanged since it last passed is not
 * checked again (`--all` checks everything). Prints one line per problem, naming the file and
 * the field, and exits 1 when there is any.
 */
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { pino } from 'pino';
import { readCatalog, writeCatalog } from '../src/catalog/catalog-file.js';
import { checkDocuments, type CheckResult } from '../src/catalog/check-documents.js';
import { CheckPool } from '../src/catalog/check-pool.js';
import { ConfigError, loadConfig, type Config } from '../src/config.js';
import { DocumentDataError } from '../src/document/document-error.js';
import { failFast } from '../src/fail-fast.js';
import { createImageBackend } from '../src/image/backend.js';
import { searchManifestServices } from '../src/search/services.js';
import { buildServer, serverDist } from './build-server.js';
import { cliOptions } from './cli-options.js';

const help = `Usage: npm run check [-- --all] [-- --prune] [-- --jobs N]

Checks every document in MANIFESTS_DIR (schemas, transcriptions, translation targets, every
Presentation resource against our schemas) and writes the document catalog into CACHE_DIR,
which the service starts from, with each passed document's Presentation resources, which it
serves without loading the document. Prints one line per problem and exits 1 when there is any.
Folders unchanged since they last passed are not checked again.

Options:
  --all       check every folder, even those that passed unchanged
  --prune     then delete the kept files no document is served from any more (those of
              replaced data or images, of another base URL or an older version)
  --jobs N    folders checked at once, each in a worker thread of its own (default: one per
              core); 1 checks in the main thread
  -h, --help  this text
`;

/**
 * Checks the documents of `config` and writes the catalog; resolves to what was found. With
 * `jobs` above 1, changed folders are checked in that many worker threads.
 */
export async function checkAndWriteCatalog(config: Config, all = false, prune = false, jobs = 1): Promise<CheckResult> {
  const logger = pino({ level: config.logLevel === 'info' ? 'warn' : config.logLevel });
  // Canvas sizes come from the images as the service reads them; nothing is ingested here.
  const images = createImageBackend({ ...config, ingestOnStart: false }, logger);
  const base = config.publicBaseUrl ?? `http://${config.host}:${config.port}`;
  let pool: CheckPool | null = null;
  if (jobs > 1) {
    // The threads run the compiled worker, built first when a source changed.
    await buildServer();
    pool = new CheckPool(jobs, path.join(serverDist, 'check-worker.js'), { config, base });
  }
  try {
    const result = await checkDocuments({
      manifestsDir: config.manifestsDir,
      base,
      images,
      imageConfig: config,
      cacheDir: config.cacheDir,
      services: searchManifestServices,
      logger,
      previous: await readCatalog(config.cacheDir, config.manifestsDir),
      all,
      prune,
      ...(pool && { checkers: pool.checkers }),
    });
    await writeCatalog(config.cacheDir, config.manifestsDir, result.entries, logger);
    return result;
  } finally {
    await pool?.close();
    await images.close();
  }
}

const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href;
if (isMain) {
  const { values } = cliOptions(help, { all: { type: 'boolean' }, prune: { type: 'boolean' }, jobs: { type: 'string' } });
  const jobs = values.jobs === undefined ? availableParallelism() : Number(values.jobs);
  if (!Number.isInteger(jobs) || jobs < 1 || jobs > 64) {
    process.stderr.write(`--jobs takes a whole number from 1 to 64, not "${values.jobs}"\n\n${help}`);
    process.exit(2);
  }
  const config = await failFast(() => loadConfig(process.env), ConfigError);
  const started = performance.now();
  const result = await failFast(() => checkAndWriteCatalog(config, values.all === true, values.prune === true, jobs), DocumentDataError);
  for (const problem of result.problems) process.stderr.write(`${problem}\n`);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  process.stdout.write(
    `documents: ${result.entries.length} (${result.checked} checked, ${result.skipped} unchanged since checked${result.reindexed ? `, of which ${result.reindexed} re-indexed for the new search analysis` : ''}, ${result.problems.length} problems) in ${seconds} s\n`,
  );
  if (result.pruned) {
    process.stdout.write(`pruned: ${result.pruned.files} kept files (${(result.pruned.bytes / 1024 / 1024).toFixed(1)} MiB) no document is served from\n`);
  }
  process.exitCode = result.problems.length > 0 ? 1 : 0;
}
