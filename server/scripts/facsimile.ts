/**
 * `npm run facsimile [-- --text-only]`: renders the reconstructed facsimiles of ll. 43–45 from the
 * published text (the seed copy in the document folder) and writes, per leaf, the page image,
 * its ALTO v4 transcription and the aligned English translation. Deterministic: the same inputs
 * give byte-identical files. `--text-only` rewrites ALTO and translations without the JPEGs.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { projectRoot as root } from '../src/config.js';
import { writeAlto } from './facsimile/alto-writer.js';
import { renderSheet } from './facsimile/paper.js';
import { parseSeed } from './facsimile/seed-text.js';
import { strikeText, type PageSetup } from './facsimile/type-ink.js';
import { rowsUsed, typeset } from './facsimile/typeset.js';
import { cliOptions } from './cli-options.js';

const DOCUMENT = 'rgaspi-f558-op11-d340-l43-45';
const documentDir = path.join(root, 'manifests', DOCUMENT);
const imagesDir = path.join(root, 'images');
const require = createRequire(import.meta.url);

/** A4 at 400 dpi; 2.6 mm type pitch and 1.5-line spacing, as on Soviet office machines. */
const FONT_SIZE = 68;
const setup: PageSetup = {
  width: 3307,
  height: 4677,
  left: 450,
  top: 500,
  pitch: FONT_SIZE * 0.6, // PT Mono advances 0.6 em per character
  lineHeight: 98,
  fontFile: require.resolve('@expo-google-fonts/pt-mono/400Regular/PTMono_400Regular.ttf'),
  fontSize: FONT_SIZE,
};
const COLUMNS = 64;
const MAX_ROWS = Math.floor((setup.height - setup.top - 350) / setup.lineHeight);
const JPEG_QUALITY = 82;

const { values } = cliOptions(
  `Usage: npm run facsimile [-- --text-only]

Renders the reconstructed facsimiles of ll. 43–45 from the published text and writes, per leaf,
the page image, its ALTO transcription and the aligned English translation (byte-identical for
the same inputs).

Options:
  --text-only   rewrite the ALTO and translations, not the images
  -h, --help    this text
`,
  { 'text-only': { type: 'boolean', default: false } },
);
const version = (JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8')) as { version: string }).version;
const seed = await readFile(path.join(documentDir, 'source', 'cable-21756.txt'), 'utf8');
const leaves = parseSeed(seed);

for (const [index, leaf] of leaves.entries()) {
  const leafId = `l${leaf.folio}`;
  const stem = `l${String(leaf.folio).padStart(3, '0')}`;
  const image = `${DOCUMENT.replace(/-l43-45$/, '')}-${stem}`;
  const blocks = typeset(leaf.russian, { columns: COLUMNS, indent: 5 });
  if (rowsUsed(blocks) > MAX_ROWS) throw new Error(`l. ${leaf.folio} needs ${rowsUsed(blocks)} rows; ${MAX_ROWS} fit`);
  const ink = strikeText(blocks, leaf.folio, setup, leaf.folio * 7919);

  const alto = writeAlto({
    leafId,
    folio: leaf.folio,
    sequence: index + 1,
    imageFile: `${image}.jpg`,
    width: setup.width,
    height: setup.height,
    software: { name: 'server/scripts/facsimile.ts', version },
    blocks: ink.blocks,
  });
  await writeFile(path.join(documentDir, `${stem}.alto.xml`), alto);

  // Paragraph i of the translation renders paragraph i of the Russian on the same leaf.
  const translation = {
    $schema: '../schema/translation.schema.json',
    language: 'en',
    paragraphs: leaf.english.map((text, i) => ({ id: `${leafId}-en${i + 1}`, text, targets: [`${leafId}-b${i + 1}`] })),
  };
  await writeFile(path.join(documentDir, `${stem}.en.json`), `${JSON.stringify(translation, null, 2)}\n`);

  if (!values['text-only']) {
    const jpeg = await renderSheet(ink, setup.width, setup.height, leaf.folio * 104729, JPEG_QUALITY);
    await writeFile(path.join(imagesDir, `${image}.jpg`), jpeg);
    process.stdout.write(`${image}.jpg ${(jpeg.length / 1e6).toFixed(2)} MB, `);
  }
  process.stdout.write(`${stem}.alto.xml: ${blocks.length} blocks, ${rowsUsed(blocks)} rows\n`);
}
