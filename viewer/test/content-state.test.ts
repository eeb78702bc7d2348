import { describe, expect, it } from 'vitest';
import {
  ContentStateError,
  contentStateFor,
  decodeContentState,
  encodeContentState,
  parseContentStateParam,
  targetFromContentState,
  type Json,
} from '../src/content-state.js';

// The examples of IIIF Content State 1.0, §6.3 and §5.4, verbatim.
const specPlain =
  '{"id":"https://example.org/object1/canvas7#xywh=1000,2000,1000,2000","type":"Canvas","partOf":[{"id":"https://example.org/object1/manifest","type":"Manifest"}]}';
const specEncoded =
  'JTdCJTIyaWQlMjIlM0ElMjJodHRwcyUzQSUyRiUyRmV4YW1wbGUub3JnJTJGb2JqZWN0MSUyRmNhbnZhczclMjN4eXdoJTNEMTAwMCUyQzIwMDAlMkMxMDAwJTJDMjAwMCUyMiUyQyUyMnR5cGUlMjIlM0ElMjJDYW52YXMlMjIlMkMlMjJwYXJ0T2YlMjIlM0ElNUIlN0IlMjJpZCUyMiUzQSUyMmh0dHBzJTNBJTJGJTJGZXhhbXBsZS5vcmclMkZvYmplY3QxJTJGbWFuaWZlc3QlMjIlMkMlMjJ0eXBlJTIyJTNBJTIyTWFuaWZlc3QlMjIlN0QlNUQlN0Q';
const aliceEncoded =
  'JTdCJTIyaWQlMjIlM0ElMjJodHRwcyUzQSUyRiUyRmV4YW1wbGUub3JnJTJGYWxpY2UlMkZjYW52YXM3NyUyM3h5d2glM0QxMDAwJTJDMjAwMCUyQzEwMDAlMkMyMDAwJTIyJTJDJTIydHlwZSUyMiUzQSUyMkNhbnZhcyUyMiUyQyUyMnBhcnRPZiUyMiUzQSU1QiU3QiUyMmlkJTIyJTNBJTIyaHR0cHMlM0ElMkYlMkZleGFtcGxlLm9yZyUyRmFsaWNlJTJGbWFuaWZlc3QlMjIlMkMlMjJ0eXBlJTIyJTNBJTIyTWFuaWZlc3QlMjIlN0QlNUQlN0Q';

describe('content-state-encoding (§6)', () => {
  it('encodes the §6.3 example exactly as the spec prints it', () => {
    expect(encodeContentState(specPlain)).toBe(specEncoded);
  });

  it('decodes the §6.3 and §5.4 examples', () => {
    expect(decodeContentState(specEncoded)).toBe(specPlain);
    expect(JSON.parse(decodeContentState(aliceEncoded))).toEqual({
      id: 'https://example.org/alice/canvas77#xywh=1000,2000,1000,2000',
      type: 'Canvas',
      partOf: [{ id: 'https://example.org/alice/manifest', type: 'Manifest' }],
    });
  });

  it.each(['{}', 'a', 'ab', 'abc', 'Шифртелеграмма № 21756 — «л. 43»', '{"label":{"ru":["Товарищ Филиппов!"]}}', '~?/+=&'])(
    'round-trips %j without padding or unsafe characters',
    (plain) => {
      const encoded = encodeContentState(plain);
      expect(encoded).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(decodeContentState(encoded)).toBe(plain);
    },
  );

  it('restores any amount of stripped padding (lengths 2 and 3 mod 4)', () => {
    const lengths = ['a', 'ab', 'abc', 'abcd'].map((s) => encodeContentState(s).length % 4);
    expect(new Set(lengths)).toEqual(new Set([0, 2, 3]));
  });

  it('accepts padding that was left on, and standard base64 characters', () => {
    const encoded = encodeContentState('ab~~>>');
    expect(decodeContentState(`${encoded}==`.slice(0, encoded.length + ((4 - (encoded.length % 4)) % 4)))).toBe('ab~~>>');
    expect(decodeContentState(encoded.replace(/-/g, '+').replace(/_/g, '/'))).toBe('ab~~>>');
  });

  it('forgives a "+" of standard base64 that a query string turned into a space', () => {
    const encoded = encodeContentState('ab~~>>');
    expect(encoded).toBe('YWJ-fiUzRSUzRQ');
    const viaForm = new URLSearchParams(`iiif-content=${encoded.replace(/-/g, '+')}`).get('iiif-content')!;
    expect(viaForm).toBe('YWJ fiUzRSUzRQ');
    expect(decodeContentState(viaForm)).toBe('ab~~>>');
    expect(decodeContentState(` ${encoded} `)).toBe('ab~~>>');
  });

  it('rejects a length of 1 mod 4, foreign characters and non-encoded text', () => {
    expect(() => decodeContentState('abcde')).toThrow(ContentStateError);
    expect(() => decodeContentState('ab$d')).toThrow(ContentStateError);
    expect(() => decodeContentState('')).toThrow(ContentStateError);
    // Valid base64url whose payload is not percent-encoding output: "%" not followed by hex.
    expect(() => decodeContentState(btoa('%zz').replace(/=+$/, ''))).toThrow(ContentStateError);
  });
});

describe('reading content states (§2.2)', () => {
  const manifest = 'https://example.org/object1/manifest';
  const canvas = 'https://example.org/object1/canvas7';

  it('reads a target-only Canvas with partOf and a region (§6.3 example)', () => {
    expect(targetFromContentState(JSON.parse(specPlain) as Json)).toEqual({
      manifestId: manifest,
      canvasId: canvas,
      xywh: { x: 1000, y: 2000, w: 1000, h: 2000 },
    });
  });

  it('reads a full Annotation whose target is a SpecificResource with a FragmentSelector (recipe 0485)', () => {
    const state = {
      '@context': 'http://iiif.io/api/presentation/3/context.json',
      type: 'Annotation',
      motivation: ['contentState'],
      target: {
        type: 'SpecificResource',
        source: { id: canvas, type: 'Canvas', partOf: [{ id: manifest, type: 'Manifest' }] },
        selector: { type: 'FragmentSelector', value: 'xywh=10,20,30,40' },
      },
    };
    expect(targetFromContentState(state)).toEqual({ manifestId: manifest, canvasId: canvas, xywh: { x: 10, y: 20, w: 30, h: 40 } });
  });

  it('opens a Manifest target at its start', () => {
    expect(targetFromContentState({ type: 'Annotation', motivation: 'contentState', target: { id: manifest, type: 'Manifest' } })).toEqual({
      manifestId: manifest,
    });
  });

  it('takes the first of several targets (§5.3)', () => {
    const two = { type: 'Annotation', target: [JSON.parse(specPlain) as Json, { id: 'https://e.org/m2', type: 'Manifest' }] };
    expect(targetFromContentState(two)?.canvasId).toBe(canvas);
  });

  it('uses the page manifest for a bare canvas URI, and refuses one without any', () => {
    expect(targetFromContentState(`${canvas}#xywh=1,2,3,4`, manifest)).toEqual({ manifestId: manifest, canvasId: canvas, xywh: { x: 1, y: 2, w: 3, h: 4 } });
    expect(targetFromContentState(canvas)).toBeNull();
    expect(targetFromContentState({ id: canvas, type: 'Canvas' })).toBeNull();
  });

  it('round-trips the content state we publish for a view', () => {
    const view = { manifestId: manifest, canvasId: canvas, xywh: { x: 120, y: 340, w: 2000, h: 180 } };
    const param = encodeContentState(JSON.stringify(contentStateFor(view)));
    const parsed = parseContentStateParam(param);
    expect(parsed.kind).toBe('json');
    expect(parsed.kind === 'json' && targetFromContentState(parsed.value)).toEqual(view);
  });

  it('treats an http(s) parameter as a plain URI, never decoding it (§6.2)', () => {
    expect(parseContentStateParam(manifest)).toEqual({ kind: 'uri', uri: manifest });
    expect(() => parseContentStateParam(encodeContentState('not json'))).toThrow(ContentStateError);
  });
});
