import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { compression } from 'vite-plugin-compression2';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

/**
 * Two pages (the document page and the embeddable viewer) share one Mirador chunk; our plugins
 * stay in their own small chunks so their size can be measured apart from Mirador's.
 * The server reads `.vite/manifest.json` to link the hashed files from the HTML it generates.
 * Files are also written pre-compressed (`.br`, `.gz`) for the server to send as they are.
 */
export default defineConfig({
  root: here('.'),
  // Relative: the built files name each other from where they are, so the same build serves
  // at the service's /viewer/ and below any path of a static edition, unchanged.
  base: './',
  plugins: [
    react(),
    // Brotli and gzip copies next to each file: the server sends them as they are, no per-request work.
    compression({ algorithms: ['brotliCompress', 'gzip'], include: /\.(js|css|svg|json)$/, threshold: 1024 }),
  ],
  build: {
    outDir: here('dist'),
    emptyOutDir: true,
    manifest: true,
    target: 'es2022',
    chunkSizeWarningLimit: 4000,
    sourcemap: false,
    modulePreload: { polyfill: false },
    rolldownOptions: {
      input: { document: here('document.html'), embed: here('embed.html') },
      output: {
        codeSplitting: { groups: [{ name: 'mirador', test: /[\\/]node_modules[\\/]/ }] },
      },
    },
  },
});
