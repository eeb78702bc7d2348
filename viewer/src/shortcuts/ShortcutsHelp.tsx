import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import Dialog from '@mui/material/Dialog';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import IconButton from '@mui/material/IconButton';
import KeyboardIcon from '@mui/icons-material/KeyboardSharp';
import { shortcutGroups } from './shortcuts.js';

const cell = { padding: '3px 12px 3px 0', verticalAlign: 'top', textAlign: 'left' } as const;

/** A top-bar button that opens the list of keyboard shortcuts (a modal dialog; Escape closes it). */
export function ShortcutsHelp() {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const titleId = useId();
  return (
    <>
      <IconButton aria-label={t('tx_keys')} title={t('tx_keys')} aria-haspopup="dialog" onClick={() => setOpen(true)}>
        <KeyboardIcon />
      </IconButton>
      <Dialog open={open} onClose={() => setOpen(false)} aria-labelledby={titleId}>
        <DialogTitle id={titleId}>{t('tx_keys')}</DialogTitle>
        <DialogContent style={{ font: '14px/1.4 system-ui, sans-serif' }}>
          {shortcutGroups.map((group) => (
            <table key={group.title} className="tx-keys" style={{ borderCollapse: 'collapse', marginBottom: 12 }}>
              <caption style={{ textAlign: 'left', fontWeight: 600, padding: '4px 0' }}>{t(group.title)}</caption>
              <tbody>
                {group.rows.map((row) => (
                  <tr key={row.action}>
                    <th scope="row" style={cell}>
                      {row.keys.map((k, i) => (
                        <span key={k}>
                          {i > 0 && ' '}
                          <kbd>{k}</kbd>
                        </span>
                      ))}
                    </th>
                    <td style={cell}>{t(row.action)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ))}
          <button type="button" onClick={() => setOpen(false)}>
            {t('tx_keys_close')}
          </button>
        </DialogContent>
      </Dialog>
    </>
  );
}
