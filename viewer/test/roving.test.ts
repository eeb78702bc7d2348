import { describe, expect, it } from 'vitest';
import { itemsFromAnnotationPage } from '../src/annotations.js';
import { alignRows } from '../src/selectors.js';
import { moveFrom, tabStop } from '../src/transcript-panel/roving.js';
import { enPage, ruPage } from './fixtures.js';

// Fixture rows: «Товарищ Филиппов!» ↔ "Comrade Filippov!", then two lines ↔ "Concerning…".
const rows = alignRows(itemsFromAnnotationPage(ruPage), itemsFromAnnotationPage(enPage));
const id = (suffix: string) => rows.flatMap((r) => [...r.ru, ...r.en]).find((i) => i.id.endsWith(suffix))!.id;

describe('keyboard movement in the transcript panel (one Tab stop, arrow keys inside)', () => {
  it('keeps the Tab stop on the last focused item while it is listed, else the first line', () => {
    expect(tabStop(rows, null)).toBe(id('/b1l1'));
    expect(tabStop(rows, id('/b2l2'))).toBe(id('/b2l2'));
    expect(tabStop(rows, 'gone')).toBe(id('/b1l1'));
    expect(tabStop([], null)).toBeNull();
  });

  it('moves down and up a column across rows, and stops at its ends', () => {
    expect(moveFrom(rows, id('/b1l1'), 'ArrowDown')).toBe(id('/b2l1'));
    expect(moveFrom(rows, id('/b2l1'), 'ArrowDown')).toBe(id('/b2l2'));
    expect(moveFrom(rows, id('/b2l2'), 'ArrowDown')).toBe(id('/b2l2'));
    expect(moveFrom(rows, id('/b2l1'), 'ArrowUp')).toBe(id('/b1l1'));
    expect(moveFrom(rows, id('/b1l1'), 'End')).toBe(id('/b2l2'));
    expect(moveFrom(rows, id('/p2'), 'Home')).toBe(id('/p1'));
  });

  it('crosses to the other language in the same row', () => {
    expect(moveFrom(rows, id('/b2l2'), 'ArrowRight')).toBe(id('/p2'));
    expect(moveFrom(rows, id('/p2'), 'ArrowLeft')).toBe(id('/b2l1'));
    expect(moveFrom(rows, id('/p1'), 'Enter')).toBeNull();
  });
});
