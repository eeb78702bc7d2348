import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import IconButton from '@mui/material/IconButton';
import Popover from '@mui/material/Popover';
import TextFieldsIcon from '@mui/icons-material/TextFieldsSharp';
import TuneIcon from '@mui/icons-material/TuneSharp';
import type { Layer, OverlayMode, TranscriptSettings } from '../selectors.js';
import type { UiLanguage } from '../locale.js';

export interface OverlayControlsProps {
  windowId: string;
  settings: TranscriptSettings;
  language: UiLanguage;
  save: (settings: TranscriptSettings) => void;
  setLanguage: (language: UiLanguage) => void;
}

const modes: OverlayMode[] = ['visible', 'selectable', 'off'];
const layers: Layer[] = ['ru', 'en'];
const field = { display: 'grid', gap: 4, margin: '0 0 12px' } as const;

/** Transcript controls in the window's top bar: on/off, layer, and a settings popover (mode, opacity, language). */
export function OverlayControls({ settings, language, save, setLanguage }: OverlayControlsProps) {
  const { t } = useTranslation();
  const [anchor, setAnchor] = useState<HTMLElement | null>(null);
  const [lastMode, setLastMode] = useState<OverlayMode>('visible');
  const id = useId();
  const on = settings.mode !== 'off';
  const update = (patch: Partial<TranscriptSettings>) => save({ ...settings, ...patch });

  const toggle = () => {
    if (on) setLastMode(settings.mode);
    update({ mode: on ? 'off' : lastMode });
  };

  return (
    <div className="tx-controls" style={{ display: 'flex', alignItems: 'center', gap: 2 }}>
      <IconButton aria-label={t('tx_overlay')} title={t('tx_overlay')} aria-pressed={on} onClick={toggle} color={on ? 'primary' : 'default'}>
        <TextFieldsIcon />
      </IconButton>
      <div role="group" aria-label={t('tx_layer')} style={{ display: 'flex' }}>
        {layers.map((l) => (
          <button
            key={l}
            type="button"
            className="tx-layer-button"
            aria-pressed={settings.layer === l}
            // The name starts with the visible text (WCAG 2.5.3: label in name).
            aria-label={`${l.toUpperCase()} — ${t(`tx_layer_${l}`)}`}
            title={t(`tx_layer_${l}`)}
            onClick={() => update({ layer: l, ...(on ? {} : { mode: lastMode }) })}
          >
            {l.toUpperCase()}
          </button>
        ))}
      </div>
      <IconButton aria-label={t('tx_mode')} title={t('tx_mode')} aria-haspopup="dialog" aria-expanded={Boolean(anchor)} onClick={(e) => setAnchor(e.currentTarget)}>
        <TuneIcon />
      </IconButton>
      <Popover open={Boolean(anchor)} anchorEl={anchor} onClose={() => setAnchor(null)} anchorOrigin={{ vertical: 'bottom', horizontal: 'right' }} transformOrigin={{ vertical: 'top', horizontal: 'right' }}>
        <div role="dialog" aria-label={t('tx_mode')} style={{ padding: 16, minWidth: 240, font: '14px/1.4 system-ui, sans-serif' }}>
          <fieldset style={{ ...field, border: 0, padding: 0 }}>
            <legend style={{ fontWeight: 600, marginBottom: 4 }}>{t('tx_mode')}</legend>
            {modes.map((m) => (
              <label key={m}>
                <input type="radio" name={`${id}-mode`} value={m} checked={settings.mode === m} onChange={() => update({ mode: m })} /> {t(`tx_mode_${m}`)}
              </label>
            ))}
          </fieldset>
          <label style={field}>
            <span style={{ fontWeight: 600 }}>{t('tx_opacity')}</span>
            <input type="range" min={0} max={1} step={0.05} value={settings.opacity} onChange={(e) => update({ opacity: Number(e.target.value) })} />
          </label>
          <label style={field}>
            <span style={{ fontWeight: 600 }}>{t('tx_language')}</span>
            <select value={language} onChange={(e) => setLanguage(e.target.value as UiLanguage)}>
              <option value="ru" lang="ru">Русский</option>
              <option value="en" lang="en">English</option>
            </select>
          </label>
        </div>
      </Popover>
    </div>
  );
}
