import type { CSSProperties, MouseEvent } from 'react';
import type { TranscriptItem } from '../annotations.js';
import type { Rect } from '../geometry.js';
import type { TranscriptSettings } from '../selectors.js';
import { fitLine, fitParagraph, overlayFont } from '../text-fit.js';

/** World box as a data attribute; `placeLayer` turns it into screen pixels at every frame. */
export const boxAttr = (r: Rect) => [r.x, r.y, r.w, r.h].join(',');
/** Hidden until `placeLayer` has put it on its box. */
export const positioned: CSSProperties = { position: 'absolute', left: 0, top: 0, transformOrigin: '0 0', boxSizing: 'border-box', visibility: 'hidden' };

/** One line (set on one row, stretched to its box) or one paragraph (wrapped in its box) of the overlay. */
export function ItemText({ item, box, settings, setFocus }: { item: TranscriptItem; box: Rect; settings: TranscriptSettings; setFocus: (id: string | null) => void }) {
  const visible = settings.mode === 'visible';
  const style: CSSProperties = {
    ...positioned,
    fontFamily: overlayFont,
    color: visible ? '#1b1b1b' : 'transparent',
    background: visible ? `rgba(253, 250, 240, ${settings.opacity})` : 'transparent',
    pointerEvents: visible ? 'none' : 'auto',
    userSelect: 'text',
    cursor: visible ? undefined : 'text',
    overflow: 'hidden',
    margin: 0,
  };
  // Hover marks the line for the panel, but never while a button is down: that is a text selection.
  const events = visible
    ? {}
    : {
        onMouseEnter: (e: MouseEvent) => e.buttons === 0 && setFocus(item.id),
        onMouseLeave: (e: MouseEvent) => e.buttons === 0 && setFocus(null),
      };
  const isLine = item.granularity ? item.granularity === 'line' || item.granularity === 'word' : box.w / box.h > 6;
  if (isLine) {
    // Font size and horizontal stretch are worked out once in world units: both scale with the zoom.
    const { fontSize, scaleX } = fitLine(item.text, box);
    return (
      <div className="tx-item tx-line" role="paragraph" data-id={item.id} data-box={boxAttr(box)} data-font-size={fontSize} data-line="1" lang={item.language} style={{ ...style, whiteSpace: 'nowrap' }} {...events}>
        <span style={{ display: 'inline-block', transform: `scaleX(${scaleX.toFixed(4)})`, transformOrigin: '0 50%' }}>{item.text}</span>
      </div>
    );
  }
  const fontSize = fitParagraph(item.text, box);
  return (
    <div className="tx-item tx-paragraph" role="paragraph" data-id={item.id} data-box={boxAttr(box)} data-font-size={fontSize} lang={item.language} style={{ ...style, lineHeight: 1.2, padding: '0.1em' }} {...events}>
      {item.text}
    </div>
  );
}

