import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import copy from 'copy-to-clipboard';
import IconButton from '@mui/material/IconButton';
import Popover from '@mui/material/Popover';
import ShareIcon from '@mui/icons-material/ShareSharp';
import { formatXywh, parseXywh } from '../geometry.js';
import { getViewState, type MiradorState } from '../selectors.js';
import { viewerBounds } from '../viewer-bounds.js';
import { contentStateLink, viewLink, type LinkContext, type View } from './links.js';

interface ShareProps {
  context: LinkContext | null;
  view: View | null;
}

function CopyRow({ label, value }: { label: string; value: string }) {
  const { t } = useTranslation();
  const [copied, setCopied] = useState(false);
  return (
    <label style={{ display: 'grid', gap: 4, marginBottom: 12 }}>
      <span style={{ fontWeight: 600 }}>{label}</span>
      <span style={{ display: 'flex', gap: 4 }}>
        <input readOnly value={value} onFocus={(e) => e.target.select()} style={{ flex: 1, minWidth: 0, font: 'inherit' }} />
        <button type="button" onClick={() => setCopied(copy(value))} aria-live="polite">
          {copied ? t('tx_share_copied') : t('tx_share_copy')}
        </button>
      </span>
    </label>
  );
}

/** "Share": a link to this leaf and region, and the same view as a IIIF Content State link. */
export function ShareButton({ context, view }: ShareProps) {
  const { t } = useTranslation();
  const [anchor, setAnchor] = useState<HTMLElement | null>(null);
  if (!context || !view) return null;
  return (
    <>
      <IconButton aria-label={t('tx_share')} title={t('tx_share')} aria-haspopup="dialog" onClick={(e) => setAnchor(e.currentTarget)}>
        <ShareIcon />
      </IconButton>
      <Popover open={Boolean(anchor)} anchorEl={anchor} onClose={() => setAnchor(null)} anchorOrigin={{ vertical: 'bottom', horizontal: 'right' }} transformOrigin={{ vertical: 'top', horizontal: 'right' }}>
        <div role="dialog" aria-label={t('tx_share')} className="tx-share" style={{ padding: 16, width: 'min(420px, 90vw)', font: '14px/1.4 system-ui, sans-serif' }}>
          <CopyRow label={t('tx_share_link')} value={viewLink(context, view)} />
          <CopyRow label={t('tx_share_content_state')} value={contentStateLink(context, view)} />
        </div>
      </Popover>
    </>
  );
}

export const mapShareState = (state: MiradorState & { config: { transcriptLinks?: LinkContext } }, { windowId }: { windowId: string }) => {
  const view = getViewState(state, windowId, viewerBounds(windowId));
  return {
    context: state.config.transcriptLinks ?? null,
    // Primitive fields keep connect() from re-rendering on unrelated state changes.
    manifestId: view?.manifestId,
    canvasId: view?.canvasId,
    xywh: view?.xywh ? formatXywh(view.xywh) : null,
    language: state.config.language,
  };
};

/** The share button, fed by Mirador's connect() through its plugin descriptor. */
export function ShareControl(p: { context: LinkContext | null; manifestId?: string; canvasId?: string; xywh: string | null; language?: string }) {
  const view: View | null =
    p.manifestId && p.canvasId
      ? { manifestId: p.manifestId, canvasId: p.canvasId, xywh: p.xywh ? parseXywh(p.xywh) : null, ...(p.language && { language: p.language }) }
      : null;
  return <ShareButton context={p.context} view={view} />;
}
