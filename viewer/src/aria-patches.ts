/**
 * Small fixes to Mirador 4.0.0's markup that axe-core reports as WCAG failures, applied to the
 * DOM after each render (Mirador is used as published, not forked). Each rule only adjusts an
 * attribute, so React's own rendering is not disturbed.
 */
const rules: { selector: string; fix: (el: Element) => void }[] = [
  // The side bar's MUI Tabs get `aria-orientation` on their root <div>, which has no role; the
  // inner role="tablist" element already carries it (axe: aria-allowed-attr, critical).
  { selector: '.MuiTabs-root[aria-orientation]:not([role])', fix: (el) => el.removeAttribute('aria-orientation') },
  // Search hits are ListItems rendered as a ListItemButton (<div role="button">) straight inside a
  // <ul>, holding a "more…" button: make them list items (axe: list, nested-interactive). They
  // stay focusable and open their hit on click, Enter and Space (MUI's ButtonBase handles keys).
  { selector: 'ul > .MuiListItemButton-root[role="button"]', fix: (el) => el.setAttribute('role', 'listitem') },
];

function apply(root: ParentNode): void {
  for (const { selector, fix } of rules) root.querySelectorAll(selector).forEach(fix);
}

/** Keeps the fixes applied under `root` as Mirador renders; returns a function that stops it. */
export function patchMiradorAria(root: HTMLElement): () => void {
  let queued = false;
  const observer = new MutationObserver(() => {
    if (queued) return;
    queued = true;
    queueMicrotask(() => {
      queued = false;
      apply(root);
    });
  });
  observer.observe(root, { subtree: true, childList: true, attributes: true, attributeFilter: ['aria-orientation', 'role'] });
  apply(root);
  return () => observer.disconnect();
}
