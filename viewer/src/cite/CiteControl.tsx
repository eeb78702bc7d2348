import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import copy from 'copy-to-clipboard';
import Dialog from '@mui/material/Dialog';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import IconButton from '@mui/material/IconButton';
import QuoteIcon from '@mui/icons-material/FormatQuoteSharp';
import { formatXywh } from '../geometry.js';
import type { PageCitation } from '../page-config.js';
import { getCanvasItems, getTranscriptSelected, getViewState, type MiradorState } from '../selectors.js';
import type { LinkContext } from '../share/links.js';
import { viewerBounds } from '../viewer-bounds.js';
import { citeScope, type CiteProps, type CiteScope } from './scope.js';

function CopyText({ label, value, lang, id }: { label: string; value: string; lang?: string; id: string }) {
  const { t } = useTranslation();
  const [copied, setCopied] = useState(false);
  return (
    <div className="tx-cite-row" style={{ marginBottom: 12 }}>
      <h3 id={id} style={{ font: 'inherit', fontWeight: 600, margin: '0 0 4px' }}>
        {label}
      </h3>
      <p className="tx-cite-text" data-testid={id} lang={lang} style={{ margin: '0 0 4px', overflowWrap: 'anywhere', userSelect: 'all' }}>
        {value}
      </p>
      <button type="button" aria-describedby={id} onClick={() => setCopied(copy(value))} aria-live="polite">
        {copied ? t('tx_share_copied') : t('tx_share_copy')}
      </button>
    </div>
  );
}

/** "Cite this": the document, the leaf shown or the chosen line, in Chicago and GOST, with the citation files. */
export function CiteControl(p: CiteProps) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const [chosen, setChosen] = useState<CiteScope>('document');
  const titleId = useId();
  const ids = useId();
  // Only our own document has these citations: a foreign manifest gets no button.
  if (!p.citation || !p.context || p.manifestId !== p.context.defaultManifest) return null;
  const scopes = (['document', 'leaf', 'line'] as const).filter((s) => citeScope(p, s));
  const scope = scopes.includes(chosen) ? chosen : 'document';
  const shown = citeScope(p, scope);
  const labelOf = (canvas?: string) => (canvas ? (p.citation?.leaves[canvas]?.label ?? '') : '');
  const scopeLabel = (s: CiteScope) =>
    s === 'document' ? t('tx_cite_document') : t(s === 'leaf' ? 'tx_cite_leaf' : 'tx_cite_line', { label: labelOf(s === 'leaf' ? p.canvasId : p.lineCanvas) });
  const files = p.citation.files;
  return (
    <>
      <IconButton aria-label={t('tx_cite')} title={t('tx_cite')} aria-haspopup="dialog" onClick={() => setOpen(true)}>
        <QuoteIcon />
      </IconButton>
      <Dialog open={open} onClose={() => setOpen(false)} aria-labelledby={titleId} maxWidth="md" className="tx-cite">
        <DialogTitle id={titleId}>{t('tx_cite')}</DialogTitle>
        <DialogContent style={{ font: '14px/1.4 system-ui, sans-serif' }}>
          <fieldset style={{ border: 0, padding: 0, margin: '0 0 12px' }}>
            <legend style={{ fontWeight: 600, padding: 0, marginBottom: 4 }}>{t('tx_cite_scope')}</legend>
            {scopes.map((s) => (
              <label key={s} style={{ display: 'block' }}>
                <input type="radio" name={`${ids}-scope`} value={s} checked={scope === s} onChange={() => setChosen(s)} /> {scopeLabel(s)}
              </label>
            ))}
          </fieldset>
          {shown && (
            <>
              <CopyText id={`${ids}-chicago`} label={t('tx_cite_chicago')} value={shown.texts.chicago} lang="en" />
              <CopyText id={`${ids}-gost`} label={t('tx_cite_gost')} value={shown.texts.gost} lang="ru" />
              {shown.link && <CopyText id={`${ids}-link`} label={t('tx_cite_content_state')} value={shown.link} />}
            </>
          )}
          <p style={{ margin: '0 0 12px' }}>
            {t('tx_cite_files')}: <a href={files.json} type="application/vnd.citationstyles.csl+json">CSL-JSON</a> · <a href={files.bib}>BibTeX</a> · <a href={files.ris}>RIS</a>
          </p>
          <button type="button" onClick={() => setOpen(false)}>
            {t('tx_cite_close')}
          </button>
        </DialogContent>
      </Dialog>
    </>
  );
}

type CiteState = MiradorState & { config: { transcriptLinks?: LinkContext; citation?: PageCitation } };

export const mapCiteState = (state: CiteState, { windowId }: { windowId: string }) => {
  const view = getViewState(state, windowId, viewerBounds(windowId));
  const selected = getTranscriptSelected(state, windowId);
  let line: { canvasId: string; xywh: string | null } | undefined;
  if (selected) {
    for (const canvasId of Object.keys(state.config.citation?.leaves ?? {})) {
      const item = getCanvasItems(state, canvasId).find((i) => i.id === selected);
      if (item) line = { canvasId, xywh: item.box ? formatXywh(item.box) : null };
    }
  }
  // Primitive fields keep connect() from re-rendering on every change of the view.
  return {
    citation: state.config.citation ?? null,
    context: state.config.transcriptLinks ?? null,
    manifestId: view?.manifestId,
    canvasId: view?.canvasId,
    lineCanvas: line?.canvasId,
    lineXywh: line?.xywh ?? null,
  };
};
