/**
 * A worker thread of `npm run check` (check-pool.ts): checks changed folders in full, as
 * checkDocuments does in its own thread, with an image service and a catalog of its own.
 */
import { workerData } from 'node:worker_threads';
import { pino } from 'pino';
import type { Config } from '../config.js';
import { createImageBackend } from '../image/backend.js';
import { searchManifestServices } from '../search/services.js';
import { checkingServices, type FolderOutcome, folderChecker } from './check-folder.js';
import type { CatalogEntry, FolderState } from './entry.js';

export interface CheckWorkerData {
  readonly config: Config;
  readonly base: string;
  readonly listed: readonly CatalogEntry[];
}

export interface CheckTask {
  readonly id: string;
  readonly folder: FolderState;
}

const { config, base, listed } = workerData as CheckWorkerData;
const logger = pino({ level: config.logLevel === 'info' ? 'warn' : config.logLevel });
// Canvas sizes come from the images as the service reads them; nothing is ingested here.
const images = createImageBackend({ ...config, ingestOnStart: false }, logger);
const setup = { manifestsDir: config.manifestsDir, base, listed, images, imageConfig: config, services: searchManifestServices, cacheDir: config.cacheDir, logger };
const check = folderChecker(setup, checkingServices(setup));

export default function checkFolder(task: CheckTask): Promise<FolderOutcome> {
  return check(task.id, task.folder);
}
