import { describe, expect, it } from 'vitest';
import { buildLayers } from '../../src/presentation/build-annotations.js';
import { buildManifest } from '../../src/presentation/build-manifest.js';
import { buildStructures } from '../../src/presentation/build-structures.js';
import { documentIds } from '../../src/presentation/ids.js';
import { publishDocument } from '../../src/presentation/publish.js';
import { problems } from '../../src/presentation/validate.js';
import { advertisedGrid } from '../../src/image/info.js';
import { fixtureInput, imageConfig } from './fixture-document.js';

const build = (input = fixtureInput()) => buildManifest(input, buildLayers(input), buildStructures(input));
const ids = documentIds('https://iiif.example.org', 3, 'test-doc');

describe('buildManifest on a document with and without geometry', () => {
  it('targets the whole canvas for a leaf transcribed as plain text', () => {
    const page = buildLayers(fixtureInput())[0]!.pages.get('l2')!;
    expect(page.items).toEqual([
      expect.objectContaining({ target: ids.canvas('l2'), body: expect.objectContaining({ value: 'Текст без координат.' }) }),
    ]);
  });

  it('gives a leaf without a translation only its transcription page, and links the plain text', () => {
    const [, l2] = build().items;
    expect(l2!.annotations?.map((p) => p.id)).toEqual([ids.page('transcription', 'l2')]);
    expect(l2!.rendering).toEqual([
      expect.objectContaining({ format: 'text/plain', language: ['ru'] }),
      expect.objectContaining({ format: 'application/pdf', type: 'Text' }),
    ]);
    expect(l2!.seeAlso).toBeUndefined(); // an empty property is omitted (§3.3)
  });

  it('points a section spanning two leaves at a region of the first and the whole of the second', () => {
    const [toc] = buildStructures(fixtureInput());
    expect(toc!.items![1]).toMatchObject({
      id: ids.range('rest'),
      items: [
        { id: `${ids.canvas('l1')}#xywh=100,200,800,60`, type: 'Canvas' },
        { id: ids.canvas('l2'), type: 'Canvas' },
      ],
    });
  });

  it('advertises in both image services exactly the sizes info.json does, within the output limits', () => {
    const limited = { ...imageConfig, limits: { ...imageConfig.limits, maxArea: 500_000 } };
    const canvas = build(fixtureInput({ imageConfig: limited })).items[0]!;
    const [service3, service2] = canvas.items[0]!.items[0]!.body.service;
    const info = advertisedGrid({ width: 1000, height: 1400 }, limited).sizes;
    expect(info).toEqual([{ width: 250, height: 350 }, { width: 500, height: 700 }]);
    expect(service3.sizes).toEqual(info);
    expect(service2.sizes).toEqual(info);
    // The thumbnail is one of them, so the image service can serve it.
    expect(canvas.thumbnail).toEqual([expect.objectContaining({ width: 250, height: 350 })]);
  });

  it('escapes markup from the record in metadata values', () => {
    const source = build().metadata!.find((m) => m.label.en?.[0] === 'Source')!;
    expect(source.value.en).toEqual(['<a href="https://example.org/record/1">Source &lt;record&gt;</a>']);
  });

  it('gives every metadata value with markup the one form Presentation 3.0 §4.5 reads as HTML', () => {
    // A value is HTML only when it starts with `<` and ends with `>`; else a client shows it as text, tags and all.
    const allowed = new Set(['a', 'b', 'br', 'i', 'img', 'p', 'small', 'span', 'sub', 'sup']);
    const input = fixtureInput();
    const rights = { ...input.document.record.rights, reason: 'Not evaluated <yet> & kept.' };
    const record = { ...input.document.record, rights };
    const values = build({ ...input, document: { ...input.document, record } })
      .metadata!.flatMap((m) => Object.values(m.value).flat())
      .filter((v): v is string => typeof v === 'string');
    const marked = values.filter((v) => /<\/?[a-z]+[\s>]/i.test(v));
    expect(marked.length).toBeGreaterThanOrEqual(2); // the source's link and the rights statement's
    for (const value of marked) {
      expect(value, value).toMatch(/^<.*>$/s);
      for (const [, tag] of value.matchAll(/<\/?([a-z]+)/gi)) expect(allowed, value).toContain(tag!.toLowerCase());
    }
    expect(marked.find((v) => v.includes('rightsstatements.org'))).toBe(
      '<span><a href="http://rightsstatements.org/vocab/CNE/1.0/">http://rightsstatements.org/vocab/CNE/1.0/</a>: Not evaluated &lt;yet&gt; &amp; kept.</span>',
    );
  });

  it('publishes only valid resources for it', () => {
    for (const [id, r] of publishDocument(fixtureInput())) if (r.schema) expect(problems(r.schema, r.json), id).toEqual([]);
  });

  it('builds this canvas', () => {
    expect(build().items[0]).toMatchInlineSnapshot(`
      {
        "annotations": [
          {
            "id": "https://iiif.example.org/iiif/presentation/3/test-doc/annotations/transcription/l1",
            "label": {
              "en": [
                "Transcription (Russian), f. 1",
              ],
              "ru": [
                "Транскрипция (рус.), л. 1",
              ],
            },
            "next": "https://iiif.example.org/iiif/presentation/3/test-doc/annotations/transcription/l2",
            "partOf": [
              {
                "first": {
                  "id": "https://iiif.example.org/iiif/presentation/3/test-doc/annotations/transcription/l1",
                  "type": "AnnotationPage",
                },
                "id": "https://iiif.example.org/iiif/presentation/3/test-doc/annotations/transcription",
                "label": {
                  "en": [
                    "Transcription (Russian)",
                  ],
                  "ru": [
                    "Транскрипция (рус.)",
                  ],
                },
                "last": {
                  "id": "https://iiif.example.org/iiif/presentation/3/test-doc/annotations/transcription/l2",
                  "type": "AnnotationPage",
                },
                "total": 4,
                "type": "AnnotationCollection",
              },
            ],
            "type": "AnnotationPage",
          },
          {
            "id": "https://iiif.example.org/iiif/presentation/3/test-doc/annotations/translation/l1",
            "label": {
              "en": [
                "Translation (English), f. 1",
              ],
              "ru": [
                "Перевод (англ.), л. 1",
              ],
            },
            "partOf": [
              {
                "first": {
                  "id": "https://iiif.example.org/iiif/presentation/3/test-doc/annotations/translation/l1",
                  "type": "AnnotationPage",
                },
                "id": "https://iiif.example.org/iiif/presentation/3/test-doc/annotations/translation",
                "label": {
                  "en": [
                    "Translation (English)",
                  ],
                  "ru": [
                    "Перевод (англ.)",
                  ],
                },
                "last": {
                  "id": "https://iiif.example.org/iiif/presentation/3/test-doc/annotations/translation/l1",
                  "type": "AnnotationPage",
                },
                "total": 2,
                "type": "AnnotationCollection",
              },
            ],
            "type": "AnnotationPage",
          },
        ],
        "height": 1400,
        "id": "https://iiif.example.org/iiif/presentation/3/test-doc/canvas/l1",
        "items": [
          {
            "id": "https://iiif.example.org/iiif/presentation/3/test-doc/canvas/l1/painting",
            "items": [
              {
                "body": {
                  "format": "image/jpeg",
                  "height": 1400,
                  "id": "https://iiif.example.org/iiif/3/test-l001/full/max/0/default.jpg",
                  "service": [
                    {
                      "id": "https://iiif.example.org/iiif/3/test-l001",
                      "profile": "level2",
                      "sizes": [
                        {
                          "height": 350,
                          "width": 250,
                        },
                        {
                          "height": 700,
                          "width": 500,
                        },
                        {
                          "height": 1400,
                          "width": 1000,
                        },
                      ],
                      "type": "ImageService3",
                    },
                    {
                      "@id": "https://iiif.example.org/iiif/2/test-l001",
                      "@type": "ImageService2",
                      "profile": "http://iiif.io/api/image/2/level2.json",
                      "sizes": [
                        {
                          "height": 350,
                          "width": 250,
                        },
                        {
                          "height": 700,
                          "width": 500,
                        },
                        {
                          "height": 1400,
                          "width": 1000,
                        },
                      ],
                    },
                  ],
                  "type": "Image",
                  "width": 1000,
                },
                "id": "https://iiif.example.org/iiif/presentation/3/test-doc/canvas/l1/painting/image",
                "motivation": "painting",
                "target": "https://iiif.example.org/iiif/presentation/3/test-doc/canvas/l1",
                "type": "Annotation",
              },
            ],
            "type": "AnnotationPage",
          },
        ],
        "label": {
          "en": [
            "f. 1",
          ],
          "ru": [
            "л. 1",
          ],
        },
        "rendering": [
          {
            "format": "application/pdf",
            "id": "https://iiif.example.org/iiif/presentation/test-doc/files/l1.pdf",
            "label": {
              "en": [
                "PDF of the leaf: page image with searchable text, translation",
              ],
              "ru": [
                "Лист в PDF: изображение с текстовым слоем, перевод",
              ],
            },
            "type": "Text",
          },
        ],
        "seeAlso": [
          {
            "format": "application/xml",
            "id": "https://iiif.example.org/iiif/presentation/test-doc/files/l001.alto.xml",
            "label": {
              "en": [
                "Transcription, ALTO XML",
              ],
              "ru": [
                "Транскрипция, ALTO XML",
              ],
            },
            "profile": "http://www.loc.gov/standards/alto/",
            "type": "Dataset",
          },
          {
            "format": "application/json",
            "id": "https://iiif.example.org/iiif/presentation/test-doc/files/l001.en.json",
            "label": {
              "en": [
                "Translation of the leaf aligned to the transcription, JSON",
              ],
              "ru": [
                "Перевод листа с привязкой к абзацам транскрипции, JSON",
              ],
            },
            "language": [
              "en",
            ],
            "type": "Dataset",
          },
        ],
        "thumbnail": [
          {
            "format": "image/jpeg",
            "height": 350,
            "id": "https://iiif.example.org/iiif/3/test-l001/full/250,350/0/default.jpg",
            "service": [
              {
                "id": "https://iiif.example.org/iiif/3/test-l001",
                "profile": "level2",
                "type": "ImageService3",
              },
            ],
            "type": "Image",
            "width": 250,
          },
        ],
        "type": "Canvas",
        "width": 1000,
      }
    `);
  });
});
