import { afterFirstPaint } from './first-leaf.js';
import './page.css';
import './viewer.css';

// Mirador (about 2 MB of script) is evaluated once the page and the opening leaf have been painted.
void afterFirstPaint().then(async () => (await import('./document-viewer.js')).run());
