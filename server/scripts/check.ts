/**
 * `npm run check`: checks every document in MANIFESTS_DIR as the service would serve it — the
 * record and translation schemas, the transcriptions, the translation targets, and every
 * Presentation resource against our schemas — and writes the catalog the service starts from
 * (CACHE_DIR/catalog/), recording what passed, and each passed document's Presentation build
 * (CACHE_DIR/presentation/) for the base URL the service publishes under. A folder unchanged since it last passed is not
 * checked again (`--all` checks everything). Prints one line per problem, naming the file and
 * the field, and exits 1 when there is any.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { pino } from 'pino';
import { readCatalog, writeCatalog } from '../src/catalog/catalog-file.js';
import { checkDocuments, type CheckResult } from '../src/catalog/check-documents.js';
import { ConfigError, loadConfig, type Config } from '../src/config.js';
import { DocumentDataError } from '../src/document/document-error.js';
import { failFast } from '../src/fail-fast.js';
import { createImageBackend } from '../src/image/backend.js';
import { searchManifestServices } from '../src/search/services.js';

const help = `Usage: npm run check [-- --all] [-- --prune]

Checks every document in MANIFESTS_DIR (schemas, transcriptions, translation targets, every
Presentation resource against our schemas) and writes the document catalog into CACHE_DIR,
which the service starts from, with each passed document's Presentation resources, which it
serves without loading the document. Prints one line per problem and exits 1 when there is any.
Folders unchanged since they last passed are not checked again.

Options:
  --all       check every folder, even those that passed unchanged
  --prune     then delete the kept files no document is served from any more (those of
              replaced data or images, of another base URL or an older version)
  -h, --help  this text
`;

/** Checks the documents of `config` and writes the catalog; resolves to what was found. */
export async function checkAndWriteCatalog(config: Config, all = false, prune = false): Promise<CheckResult> {
  const logger = pino({ level: config.logLevel === 'info' ? 'warn' : config.logLevel });
  // Canvas sizes come from the images as the service reads them; nothing is ingested here.
  const images = createImageBackend({ ...config, ingestOnStart: false }, logger);
  try {
    const result = await checkDocuments({
      manifestsDir: config.manifestsDir,
      base: config.publicBaseUrl ?? `http://${config.host}:${config.port}`,
      images,
      imageConfig: config,
      cacheDir: config.cacheDir,
      services: searchManifestServices,
      logger,
      previous: await readCatalog(config.cacheDir, config.manifestsDir),
      all,
      prune,
    });
    await writeCatalog(config.cacheDir, config.manifestsDir, result.entries, logger);
    return result;
  } finally {
    await images.close();
  }
}

const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href;
if (isMain) {
  const { values } = parseArgs({ options: { all: { type: 'boolean' }, prune: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } });
  if (values.help) {
    process.stdout.write(help);
    process.exit(0);
  }
  const config = await failFast(() => loadConfig(process.env), ConfigError);
  const started = performance.now();
  const result = await failFast(() => checkAndWriteCatalog(config, values.all === true, values.prune === true), DocumentDataError);
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
