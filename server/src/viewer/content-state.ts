/**
 * A content state that opens a manifest (IIIF Content State 1.0 §2.2): what the IIIF logo
 * carries when dragged (recipe 0599). Dragged content states are not encoded (§6.2).
 */
export function contentStateForManifest(manifestId: string) {
  return {
    '@context': 'http://iiif.io/api/presentation/3/context.json',
    type: 'Annotation',
    motivation: ['contentState'],
    target: { id: manifestId, type: 'Manifest' },
  };
}
