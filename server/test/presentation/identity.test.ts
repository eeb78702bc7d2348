import { describe, expect, it } from 'vitest';
import { IdentityLedger } from '../../src/presentation/identity.js';

// Presentation 3.0 §3.4 / JSON-LD: an id names one resource, whatever document it appears in.

const alto = 'https://x.example/files/l1.alto.xml';

describe('IdentityLedger', () => {
  it('finds one file published as `rendering` Text and as `seeAlso` Dataset (what stopped Clover)', () => {
    const manifest = {
      id: 'https://x.example/manifest',
      type: 'Manifest',
      rendering: [{ id: alto, type: 'Text', format: 'application/xml' }],
      seeAlso: [{ id: alto, type: 'Dataset', format: 'application/xml' }],
    };
    const conflicts = new IdentityLedger().record(manifest, 'manifest').conflicts();
    expect(conflicts).toEqual([`${alto}: type Text at manifest › rendering[0], but Dataset at manifest › seeAlso[0]`]);
  });

  it('finds the same id with contradicting properties, across documents', () => {
    const ledger = new IdentityLedger();
    ledger.record({ id: 'https://x.example/', type: 'Text', label: { en: ['Document page'] } }, 'manifest');
    ledger.record({ id: 'https://x.example/', type: 'Text', label: { en: ['Provider'] } }, 'canvas');
    expect(ledger.conflicts()).toEqual(['https://x.example/: "label" differs between manifest and canvas']);
  });

  it('accepts a reference that only omits properties, and a nested resource referenced by id only', () => {
    const page = { id: 'https://x.example/page', type: 'AnnotationPage', label: { en: ['p'] }, items: [{ id: 'https://x.example/a', type: 'Annotation', motivation: 'supplementing' }] };
    const ledger = new IdentityLedger();
    ledger.record({ id: 'https://x.example/canvas', type: 'Canvas', annotations: [{ id: page.id, type: 'AnnotationPage' }] }, 'canvas');
    ledger.record({ '@context': 'http://www.w3.org/ns/anno.jsonld', ...page }, 'page');
    // The canvas served alone: its `annotations` list names the same page, here in full.
    ledger.record({ id: 'https://x.example/canvas', type: 'Canvas', annotations: [page] }, 'canvas, served');
    expect(ledger.conflicts()).toEqual([]);
  });

  it('compares 2.1 types as an upgrade to 3.0 names them, and 2.1 bodies only with 2.1 bodies', () => {
    const ledger = new IdentityLedger();
    ledger.record({ id: alto, type: 'Dataset', label: { en: ['ALTO'] } }, 'v3');
    ledger.record({ '@id': alto, '@type': 'dctypes:Dataset', label: 'ALTO' }, 'v2');
    expect(ledger.conflicts()).toEqual([]);
    ledger.record({ '@id': alto, '@type': 'dctypes:Text', label: 'ALTO' }, 'v2 again');
    expect(ledger.conflicts()).toEqual([`${alto}: type Dataset at v3, but Text at v2 again`]);
  });

  it('an untyped appearance (a 2.1 service) contradicts no type; a later typed one is still compared', () => {
    const service = 'https://x.example/iiif/2/p1';
    const ledger = new IdentityLedger();
    ledger.record({ '@context': 'http://iiif.io/api/image/2/context.json', '@id': service, profile: 'level2' }, 'v2');
    ledger.record({ '@id': service, '@type': 'ImageService2', profile: 'level2' }, 'v3');
    ledger.record({ id: service, type: 'ImageService3' }, 'wrong');
    expect(ledger.conflicts()).toEqual([`${service}: type ImageService2 at v3, but ImageService3 at wrong`]);
  });

  it('typeOnly: a more detailed description of the same resource (an info.json) may differ, but not in type', () => {
    const service = 'https://x.example/iiif/2/p1';
    const ledger = new IdentityLedger();
    ledger.record({ '@id': service, '@type': 'ImageService2', profile: 'http://iiif.io/api/image/2/level2.json' }, 'manifest');
    ledger.record({ '@id': service, profile: ['http://iiif.io/api/image/2/level2.json', { formats: ['jpg'] }] }, 'info.json', { typeOnly: true });
    expect(ledger.conflicts()).toEqual([]);
  });
});
