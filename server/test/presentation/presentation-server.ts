import { copyFile, mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { createApp } from '../../src/app.js';
import { loadConfig, projectRoot, type Config } from '../../src/config.js';
import type { ArchivalDocument } from '../../src/document/model.js';
import { createImageBackend } from '../../src/image/backend.js';
import { realDocuments } from './real-data.js';

export interface PresentationServer {
  readonly url: string;
  readonly config: Config;
  /** A private copy of the committed images: tests may replace one, as a real scan would. */
  readonly imagesDir: string;
  close(): Promise<void>;
}

/**
 * The whole service with the committed documents and a copy of the committed images, on
 * 127.0.0.1 at a free port.
 */
export async function startPresentationServer(
  env: Record<string, string> = {},
  documents?: readonly ArchivalDocument[],
): Promise<PresentationServer> {
  const root = await mkdtemp(path.join(tmpdir(), 'presentation-test-'));
  const imagesDir = path.join(root, 'images');
  await mkdir(imagesDir);
  for (const name of await readdir(path.join(projectRoot, 'images'))) {
    if (!name.startsWith('.')) await copyFile(path.join(projectRoot, 'images', name), path.join(imagesDir, name));
  }
  const config = loadConfig({
    LOG_LEVEL: 'silent',
    INGEST_ON_START: 'false',
    ...env,
    HOST: '127.0.0.1',
    PORT: '0',
    IMAGES_DIR: imagesDir,
    CACHE_DIR: path.join(root, 'cache'),
  });
  const logger = pino({ level: 'silent' });
  const images = createImageBackend(config, logger, { revalidateMs: 0 });
  const app = createApp({ config, logger, images, documents: documents ?? (await realDocuments()) });
  const server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    config,
    imagesDir,
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await images.close();
      await rm(root, { recursive: true, force: true });
    },
  };
}
