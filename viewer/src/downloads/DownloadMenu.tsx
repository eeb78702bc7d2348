import { useId, useState, type MouseEvent } from 'react';
import { useTranslation } from 'react-i18next';
import IconButton from '@mui/material/IconButton';
import ListSubheader from '@mui/material/ListSubheader';
import Menu from '@mui/material/Menu';
import MenuItem from '@mui/material/MenuItem';
import DownloadIcon from '@mui/icons-material/FileDownloadSharp';
import { getVisibleCanvasIds, type MiradorState } from '../selectors.js';
import { downloadsOf, formatName, type Download, type Downloads } from './downloads.js';

interface DownloadMenuProps {
  downloads: Downloads;
}

/** "Download": the files the manifest links for the whole document and for the leaf shown. */
export function DownloadMenu({ downloads }: DownloadMenuProps) {
  const { t } = useTranslation();
  const [anchor, setAnchor] = useState<HTMLElement | null>(null);
  const buttonId = useId();
  const menuId = useId();
  const { document: documentFiles, leaf } = downloads;
  if (documentFiles.length === 0 && !leaf?.files.length) return null;
  // MUI's menu moves focus between its direct children only, so the groups are headings
  // without a role, and each item is described by its heading instead.
  const groupIds = { document: `${menuId}-document`, leaf: `${menuId}-leaf` };
  const item = (group: keyof typeof groupIds) => (d: Download) => {
    const name = formatName(d.format);
    const label = d.kind === 'image' ? t('tx_download_image', { label: leaf?.label ?? '' }) : d.label;
    return (
      <MenuItem key={d.href} component="a" href={d.href} type={d.format ?? undefined} aria-describedby={groupIds[group]} onClick={() => setAnchor(null)}>
        {name && !label.includes(name) ? `${label} (${name})` : label}
      </MenuItem>
    );
  };
  return (
    <>
      <IconButton
        id={buttonId}
        aria-label={t('tx_download')}
        title={t('tx_download')}
        aria-haspopup="menu"
        aria-expanded={anchor ? 'true' : 'false'}
        aria-controls={anchor ? menuId : undefined}
        onClick={(e: MouseEvent<HTMLElement>) => setAnchor(e.currentTarget)}
      >
        <DownloadIcon />
      </IconButton>
      <Menu id={menuId} anchorEl={anchor} open={anchor !== null} onClose={() => setAnchor(null)} slotProps={{ list: { 'aria-labelledby': buttonId } }}>
        {documentFiles.length > 0 && (
          <ListSubheader role="none" id={groupIds.document}>
            {t('tx_download_document')}
          </ListSubheader>
        )}
        {documentFiles.map(item('document'))}
        {leaf && leaf.files.length > 0 && (
          <ListSubheader role="none" id={groupIds.leaf}>
            {leaf.label || t('tx_download_leaf')}
          </ListSubheader>
        )}
        {leaf?.files.map(item('leaf'))}
      </Menu>
    </>
  );
}

const memo = new WeakMap<object, Map<string, Downloads>>();

/** The downloads of the window's manifest and current leaf, the same object while neither changes. */
export const mapDownloadState = (state: MiradorState, { windowId }: { windowId: string }): DownloadMenuProps => {
  const w = state.windows[windowId];
  const manifest = w?.manifestId ? state.manifests[w.manifestId]?.json : undefined;
  const canvasId = getVisibleCanvasIds(state, windowId)[0];
  const language = state.config.language ?? 'en';
  if (!manifest || typeof manifest !== 'object') return { downloads: downloadsOf(undefined, undefined, language) };
  let byKey = memo.get(manifest);
  if (!byKey) memo.set(manifest, (byKey = new Map()));
  const key = `${canvasId ?? ''} ${language}`;
  let downloads = byKey.get(key);
  if (!downloads) byKey.set(key, (downloads = downloadsOf(manifest, canvasId, language)));
  return { downloads };
};
