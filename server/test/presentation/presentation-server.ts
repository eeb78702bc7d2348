import { copyFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { projectRoot } from '../../src/config.js';
import type { Logger } from 'pino';
import type { ArchivalDocument } from '../../src/document/model.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { realDocuments } from './real-data.js';

/**
 * The whole service with the committed documents and a private copy of the committed images
 * (tests may replace one, as a real scan would), on 127.0.0.1 at a free port.
 */
export async function startPresentationServer(
  env: Record<string, string> = {},
  documents?: readonly ArchivalDocument[],
  logger?: Logger,
): Promise<TestServer> {
  return startServer({
    // A swapped image must show in the next listing of changes too.
    env: { DOCUMENT_RECHECK_MS: '0', ...env },
    ...(logger && { logger }),
    fixtures: async (imagesDir) => {
      for (const name of await readdir(path.join(projectRoot, 'images'))) {
        if (!name.startsWith('.')) await copyFile(path.join(projectRoot, 'images', name), path.join(imagesDir, name));
      }
    },
    deps: { documents: documents ?? (await realDocuments()) },
    // A swapped image must show in the next manifest, not a second later.
    backend: { revalidateMs: 0 },
  });
}
