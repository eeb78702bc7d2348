import type { AlignedRow } from '../selectors.js';

type Column = 'ru' | 'en';

/** Where an item is: its column and its position in that column (all rows' items, in order). */
function locate(rows: readonly AlignedRow[], id: string): { column: Column; index: number; row: number } | null {
  for (const column of ['ru', 'en'] as const) {
    let index = 0;
    for (let row = 0; row < rows.length; row++) {
      for (const item of rows[row]![column]) {
        if (item.id === id) return { column, index, row };
        index++;
      }
    }
  }
  return null;
}

const columnOf = (rows: readonly AlignedRow[], column: Column) => rows.flatMap((r) => r[column].map((i) => i.id));

/** The item that holds the panel's single Tab stop: `current` while it is listed, else the first. */
export function tabStop(rows: readonly AlignedRow[], current: string | null): string | null {
  if (current && locate(rows, current)) return current;
  return rows[0]?.ru[0]?.id ?? rows[0]?.en[0]?.id ?? null;
}

/**
 * The item a key moves to from `id`: ↑/↓ the previous/next line (or paragraph) of the same
 * column, Home/End its first/last, ←/→ the first item of the same row in the other column.
 */
export function moveFrom(rows: readonly AlignedRow[], id: string, key: string): string | null {
  const at = locate(rows, id);
  if (!at) return null;
  const ids = columnOf(rows, at.column);
  switch (key) {
    case 'ArrowDown':
      return ids[Math.min(at.index + 1, ids.length - 1)] ?? null;
    case 'ArrowUp':
      return ids[Math.max(at.index - 1, 0)] ?? null;
    case 'Home':
      return ids[0] ?? null;
    case 'End':
      return ids[ids.length - 1] ?? null;
    case 'ArrowLeft':
    case 'ArrowRight': {
      const other: Column = at.column === 'ru' ? 'en' : 'ru';
      return rows[at.row]![other][0]?.id ?? null;
    }
    default:
      return null;
  }
}
