/**
 * Writes the leaf's text and geometry as ALTO v4, the way an HTR engine writes a page:
 * Page → PrintSpace → TextBlock (a paragraph) → TextLine → String/SP, in image pixels.
 * Ids follow one scheme (`l43-b2-l3-w4`) that the plain-text reader generates too, so the
 * translation mapping survives a switch between ALTO and plain text.
 */
import { XMLBuilder } from 'fast-xml-parser';
import { enclose, type Rect } from './geometry.js';
import type { InkBlock } from './type-ink.js';

export interface AltoPage {
  readonly leafId: string;
  readonly folio: number;
  /** 1-based position of the image in the document. */
  readonly sequence: number;
  readonly imageFile: string;
  readonly width: number;
  readonly height: number;
  readonly software: { readonly name: string; readonly version: string };
  readonly blocks: readonly InkBlock[];
}

type Node = Record<string, unknown>;

const pos = (r: Rect) => ({ '@_HPOS': r.x, '@_VPOS': r.y, '@_WIDTH': r.w, '@_HEIGHT': r.h });

function el(name: string, attributes: Record<string, string | number>, children: Node[] = []): Node {
  return { [name]: children, ':@': attributes };
}

const text = (name: string, value: string): Node => el(name, {}, [{ '#text': value }]);

export function writeAlto(page: AltoPage): string {
  const blocks = page.blocks.map((block, b) => {
    const blockId = `${page.leafId}-b${b + 1}`;
    const lines = block.lines.map((line, l) => {
      const lineId = `${blockId}-l${l + 1}`;
      const children: Node[] = [];
      line.words.forEach((word, w) => {
        if (w > 0) {
          const prev = line.words[w - 1]!.box;
          const gap = word.box.x - (prev.x + prev.w);
          if (gap > 0) children.push(el('SP', { '@_WIDTH': gap, '@_HPOS': prev.x + prev.w, '@_VPOS': line.box.y }));
        }
        children.push(el('String', { '@_ID': `${lineId}-w${w + 1}`, ...pos(word.box), '@_CONTENT': word.text }));
      });
      return el('TextLine', { '@_ID': lineId, ...pos(line.box), '@_BASELINE': line.baseline.map((p) => p.join(',')).join(' ') }, children);
    });
    return el('TextBlock', { '@_ID': blockId, ...pos(block.box), '@_LANG': 'ru' }, lines);
  });
  const printSpace = enclose(page.blocks.map((b) => b.box));
  const doc: Node[] = [
    { '?xml': [{ '#text': '' }], ':@': { '@_version': '1.0', '@_encoding': 'UTF-8' } },
    el(
      'alto',
      {
        '@_xmlns': 'http://www.loc.gov/standards/alto/ns-v4#',
        '@_xmlns:xsi': 'http://www.w3.org/2001/XMLSchema-instance',
        '@_xsi:schemaLocation':
          'http://www.loc.gov/standards/alto/ns-v4# http://www.loc.gov/standards/alto/v4/alto-4-4.xsd',
      },
      [
        el('Description', {}, [
          text('MeasurementUnit', 'pixel'),
          el('sourceImageInformation', {}, [text('fileName', page.imageFile)]),
          el('OCRProcessing', { '@_ID': 'OCR_0' }, [
            el('ocrProcessingStep', {}, [
              text(
                'processingStepDescription',
                'Reconstructed facsimile: text and geometry written by the renderer, not recognised from a scan',
              ),
              el('processingSoftware', {}, [
                text('softwareName', page.software.name),
                text('softwareVersion', page.software.version),
              ]),
            ]),
          ]),
        ]),
        el('Layout', {}, [
          el(
            'Page',
            {
              '@_ID': page.leafId,
              '@_PHYSICAL_IMG_NR': page.sequence,
              '@_PRINTED_IMG_NR': String(page.folio),
              '@_WIDTH': page.width,
              '@_HEIGHT': page.height,
            },
            [el('PrintSpace', pos(printSpace), blocks)],
          ),
        ]),
      ],
    ),
  ];
  const builder = new XMLBuilder({
    preserveOrder: true,
    ignoreAttributes: false,
    attributeNamePrefix: '@_',
    format: true,
    indentBy: '  ',
    suppressEmptyNode: true,
  });
  return builder.build(doc) as string;
}
