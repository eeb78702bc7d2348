import { describe, expect, it } from 'vitest';
import {
  affineFromProjection,
  canvasToWorld,
  clampRect,
  cssMatrix,
  formatXywh,
  parseXywh,
  splitFragment,
  viewportToCanvasRegion,
  worldToCanvas,
} from '../src/geometry.js';

describe('xywh fragments (Media Fragments 1.0 §4.2.2)', () => {
  it.each([
    ['xywh=10,20,30,40', { x: 10, y: 20, w: 30, h: 40 }],
    ['10,20,30,40', { x: 10, y: 20, w: 30, h: 40 }],
    ['xywh=pixel:0,0,1,1', { x: 0, y: 0, w: 1, h: 1 }],
    ['xywh=1.5,2,3.25,4', { x: 1.5, y: 2, w: 3.25, h: 4 }],
  ])('parses %s', (value, rect) => {
    expect(parseXywh(value)).toEqual(rect);
  });

  it.each(['', 'xywh=percent:1,2,3,4', 'xywh=1,2,3', 'xywh=-1,2,3,4', 'xywh=1,2,0,4', 'xywh=a,b,c,d', 'xywh=1,2,3,4,5'])(
    'rejects %j',
    (value) => {
      expect(parseXywh(value)).toBeNull();
    },
  );

  it('formats whole pixels and round-trips', () => {
    const r = { x: 10.4, y: 20.6, w: 300, h: 41.5 };
    expect(formatXywh(r)).toBe('10,21,300,42');
    expect(parseXywh(formatXywh(r))).toEqual({ x: 10, y: 21, w: 300, h: 42 });
  });

  it('splits a canvas URI from its region', () => {
    expect(splitFragment('https://x.org/c/1#xywh=1,2,3,4')).toEqual({ id: 'https://x.org/c/1', xywh: { x: 1, y: 2, w: 3, h: 4 } });
    expect(splitFragment('https://x.org/c/1')).toEqual({ id: 'https://x.org/c/1', xywh: null });
  });
});

describe('canvas ↔ world', () => {
  const placement = { x: 3000, y: 0, scale: 0.5 };

  it('places a region of the second leaf of a book view', () => {
    expect(canvasToWorld({ x: 100, y: 200, w: 400, h: 60 }, placement)).toEqual({ x: 3050, y: 100, w: 200, h: 30 });
  });

  it('is inverted by worldToCanvas', () => {
    const r = { x: 100, y: 200, w: 400, h: 60 };
    expect(worldToCanvas(canvasToWorld(r, placement), placement)).toEqual(r);
  });

  it('clamps a viewport that extends past the canvas', () => {
    expect(clampRect({ x: -50, y: -10, w: 200, h: 100 }, 100, 50)).toEqual({ x: 0, y: 0, w: 100, h: 50 });
    expect(clampRect({ x: 200, y: 0, w: 10, h: 10 }, 100, 50)).toBeNull();
  });

  it('turns viewer bounds into the deep-link region of the canvas', () => {
    const region = viewportToCanvasRegion({ x: 100.4, y: -20, w: 500, h: 700 }, { x: 0, y: 0, scale: 1 }, { width: 3300, height: 4700 });
    expect(region).toEqual({ x: 100, y: 0, w: 500, h: 680 });
  });
});

describe('viewport transform', () => {
  it('recovers zoom and pan as a CSS matrix', () => {
    const project = (x: number, y: number) => ({ x: x * 0.25 + 10, y: y * 0.25 - 5 });
    expect(affineFromProjection(project)).toEqual([0.25, 0, 0, 0.25, 10, -5]);
    expect(cssMatrix(affineFromProjection(project))).toBe('matrix(0.25,0,0,0.25,10,-5)');
  });

  it('recovers a 90° rotation, so rotated text stays on its line', () => {
    // OpenSeadragon rotates clockwise about the viewport centre: (x, y) → (-y, x) + centre offset.
    const project = (x: number, y: number) => ({ x: -y * 2 + 400, y: x * 2 });
    const [a, b, c, d, e, f] = affineFromProjection(project);
    expect([a, b, c, d, e, f]).toEqual([0, 2, -2, 0, 400, 0]);
    // The matrix maps any point like the projection does.
    const p = { x: 37, y: 11 };
    expect({ x: a * p.x + c * p.y + e, y: b * p.x + d * p.y + f }).toEqual(project(p.x, p.y));
  });
});
