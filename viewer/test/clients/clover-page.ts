// The page the Clover tests open: Clover's viewer alone, on the resource named by `?iiif-content=`
// (the IIIF Content State parameter name), rendered by the React 18 of this package.
import CloverModule from '@samvera/clover-iiif/viewer';
import { createElement } from 'react';
import { createRoot } from 'react-dom/client';

// Clover's ES build sits in a package without "type": "module": Node-style type resolution types
// the default import as the whole CommonJS module, while esbuild bundles the ES module, whose
// default export is the component itself.
const Viewer = CloverModule as unknown as typeof CloverModule.default;

const iiifContent = new URLSearchParams(location.search).get('iiif-content') ?? '';
createRoot(document.getElementById('clover')!).render(createElement(Viewer, { iiifContent }));
