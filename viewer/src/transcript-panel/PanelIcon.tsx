import TranslateIcon from '@mui/icons-material/TranslateSharp';

/** The side bar button that opens the transcript panel (Mirador reads `value` as the panel key). */
export function PanelIcon() {
  return <TranslateIcon />;
}
PanelIcon.value = 'transcript';
