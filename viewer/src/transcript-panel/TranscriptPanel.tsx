import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ConnectedCompanionWindow } from 'mirador';
import type { TranscriptItem } from '../annotations.js';
import type { AlignedRow } from '../selectors.js';
import { moveFrom, tabStop } from './roving.js';

export interface TranscriptPanelProps {
  id: string;
  windowId: string;
  rows: readonly AlignedRow[];
  /** The leaf (or pair of leaves) shown; the panel scrolls back to the top when it changes. */
  canvasKey: string;
  focus: string | null;
  /** Space-separated ids of the items in the viewer's view. */
  inView: string;
  setFocus: (id: string | null) => void;
  goTo: (item: TranscriptItem) => void;
}

type Shared = Pick<TranscriptPanelProps, 'focus' | 'setFocus' | 'goTo'> & { inView: Set<string>; matched: boolean; stop: string | null; setStop: (id: string) => void };

function Item({ item, className, props }: { item: TranscriptItem; className: string; props: Shared }) {
  const classes = [className, props.inView.has(item.id) && 'tx-in-view', props.focus === item.id && 'tx-focused', props.matched && 'tx-match'];
  return (
    <button
      type="button"
      className={classes.filter(Boolean).join(' ')}
      data-id={item.id}
      lang={item.language}
      tabIndex={item.id === props.stop ? 0 : -1}
      onMouseEnter={() => props.setFocus(item.id)}
      onMouseLeave={() => props.setFocus(null)}
      onFocus={() => {
        props.setStop(item.id);
        props.setFocus(item.id);
      }}
      onBlur={() => props.setFocus(null)}
      onClick={() => props.goTo(item)}
    >
      {item.text}
    </button>
  );
}

/** The nearest ancestor that scrolls (the companion window's contents). */
function scrollParent(el: HTMLElement): HTMLElement | null {
  for (let p = el.parentElement; p; p = p.parentElement) {
    if (/(auto|scroll)/.test(getComputedStyle(p).overflowY)) return p;
  }
  return null;
}

/** The current leaf's Russian lines and English paragraphs side by side, row by row. */
export function TranscriptPanel({ id, windowId, rows, canvasKey, focus, inView, setFocus, goTo }: TranscriptPanelProps) {
  const { t } = useTranslation();
  const scroller = useRef<HTMLDivElement>(null);
  const inViewSet = new Set(inView.split(' '));
  const pointing = useRef(false);
  // One Tab stop for the whole list (roving tabindex); arrow keys move between its items.
  const [current, setStop] = useState<string | null>(null);
  const stop = tabStop(rows, current);
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const from = (e.target as HTMLElement).closest<HTMLElement>('[data-id]')?.dataset.id;
    const to = from && moveFrom(rows, from, e.key);
    if (!to) return;
    e.preventDefault();
    setStop(to);
    scroller.current?.querySelector<HTMLElement>(`[data-id="${CSS.escape(to)}"]`)?.focus();
  };

  useEffect(() => {
    const box = scroller.current && scrollParent(scroller.current);
    if (box) box.scrollTop = 0;
  }, [canvasKey]);

  // When the reader moves the image, bring the first line in view into the panel's view, unless
  // the reader is pointing at the panel (scrolling it under them would be confusing).
  useEffect(() => {
    const panel = scroller.current;
    const first = panel?.querySelector<HTMLElement>('.tx-panel-line.tx-in-view') ?? panel?.querySelector<HTMLElement>('.tx-in-view');
    const box = panel && scrollParent(panel);
    if (!first || !box || pointing.current) return;
    const b = box.getBoundingClientRect();
    const r = first.getBoundingClientRect();
    if (r.top < b.top + 40 || r.bottom > b.bottom) box.scrollTop += r.top - b.top - 40;
  }, [inView]);

  return (
    <ConnectedCompanionWindow id={id} windowId={windowId} title={t('tx_panel')}>
      <div ref={scroller} className="tx-panel" role="group" aria-label={t('tx_panel_keys')} onKeyDown={onKeyDown} onMouseEnter={() => (pointing.current = true)} onMouseLeave={() => (pointing.current = false)}>
        <div className="tx-row tx-head" aria-hidden="true">
          <span lang="ru">{t('tx_panel_ru')}</span>
          <span lang="en">{t('tx_panel_en')}</span>
        </div>
        {rows.length === 0 && <p className="tx-empty">{t('tx_panel_empty')}</p>}
        {rows.map((row) => {
          const matched = [...row.ru, ...row.en].some((i) => i.id === focus);
          const shared = { focus, setFocus, goTo, inView: inViewSet, matched, stop, setStop };
          return (
            <div className="tx-row" key={(row.ru[0] ?? row.en[0])?.id}>
              <div className="tx-col" lang="ru">
                {row.ru.map((i) => <Item key={i.id} item={i} className="tx-panel-line" props={shared} />)}
              </div>
              <div className="tx-col" lang="en">
                {row.en.map((i) => <Item key={i.id} item={i} className="tx-panel-paragraph" props={shared} />)}
              </div>
            </div>
          );
        })}
      </div>
    </ConnectedCompanionWindow>
  );
}
