import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino, type Logger } from 'pino';
import { type AppDeps, createApp } from '../../src/app.js';
import { type Config, loadConfig } from '../../src/config.js';
import { createHttpServer, messageClassesFor, serverTimeouts } from '../../src/http/server.js';
import { createImageBackend, type ImageService, type ImageServiceOptions } from '../../src/image/backend.js';

export interface TestServer {
  /** Base URL, e.g. http://127.0.0.1:41234 (no trailing slash). */
  readonly url: string;
  readonly config: Config;
  readonly imagesDir: string;
  readonly cacheDir: string;
  /** The real pixel layer behind the routes (its `counts` tell memory/store/render apart). */
  readonly images: ImageService;
  /** Stops the server (cutting keep-alive connections) and the pixel layer, and removes the temporary folders. */
  close(): Promise<void>;
}

export interface StartOptions {
  /** Extra environment for loadConfig (e.g. MAX_WIDTH); IMAGES_DIR and CACHE_DIR are always temporary folders. */
  readonly env?: Readonly<Record<string, string>>;
  /** Writes the fixture images into IMAGES_DIR before the service starts. */
  readonly fixtures?: (imagesDir: string) => Promise<void>;
  /** Other dependencies of createApp (documents, viewer build …). */
  readonly deps?: Pick<AppDeps, 'documents' | 'viewerDist' | 'readiness'>;
  readonly logger?: Logger;
  /** Options of the pixel layer, e.g. `revalidateMs: 0` to notice a replaced source at once. */
  readonly backend?: ImageServiceOptions;
}

/**
 * Starts the whole service as main.ts does, on 127.0.0.1 at a free port, with a configuration
 * from loadConfig pointing at fresh temporary folders and the real pixel layer. Ingest is off
 * unless the caller's env sets INGEST_ON_START=true (then call `images.ingestAll()` to build
 * the tile store), so by default every image is rendered by sharp from its source.
 */
export async function startServer(options: StartOptions = {}): Promise<TestServer> {
  const root = await mkdtemp(path.join(tmpdir(), 'iiif-test-'));
  const imagesDir = path.join(root, 'images');
  const cacheDir = path.join(root, 'cache');
  await mkdir(imagesDir);
  await mkdir(cacheDir);
  await options.fixtures?.(imagesDir);
  const config = loadConfig({
    LOG_LEVEL: 'silent',
    INGEST_ON_START: 'false',
    ...options.env,
    HOST: '127.0.0.1',
    PORT: '0',
    IMAGES_DIR: imagesDir,
    CACHE_DIR: cacheDir,
  });
  const logger = options.logger ?? pino({ level: 'silent' });
  const images = createImageBackend(config, logger, options.backend);
  const app = createApp({ config, logger, images, ...options.deps });
  // Made as main.ts makes it, so these tests' requests go through the server that ships.
  const server: Server = createHttpServer(app, serverTimeouts(config), messageClassesFor(app));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    config,
    imagesDir,
    cacheDir,
    images,
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
