import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import type { OsdViewer } from 'mirador';

export interface LeafStatusProps {
  viewer: OsdViewer | null;
  label: string;
  index: number;
  total: number;
}

/**
 * Names the focusable OpenSeadragon element after the leaf it shows, and says the leaf in a polite
 * live region when it changes («л. 44 (2 из 3)»). Mirador marks its whole viewer section as a live
 * region, which would read every line of our text overlay on each page turn: that is switched off.
 */
export function LeafStatus({ viewer, label, index, total }: LeafStatusProps) {
  const { t } = useTranslation();
  const status = label ? t('tx_leaf_status', { label, index, total }) : '';

  useEffect(() => {
    const canvas = viewer?.canvas;
    if (!canvas) return;
    canvas.setAttribute('role', 'application');
    if (label) canvas.setAttribute('aria-label', label);
    canvas.closest('.mirador-osd-container')?.removeAttribute('aria-live');
  }, [viewer, label]);

  return (
    <div className="visually-hidden" role="status" aria-live="polite" aria-atomic="true">
      {status}
    </div>
  );
}
