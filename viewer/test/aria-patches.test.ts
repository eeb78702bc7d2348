// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { patchMiradorAria } from '../src/aria-patches.js';

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('fixes to Mirador’s markup', () => {
  it('removes the stray aria-orientation from the tabs’ root only, also when rendered later', async () => {
    const root = document.createElement('div');
    root.innerHTML = '<div class="MuiTabs-root" aria-orientation="vertical"><div role="tablist" aria-orientation="vertical"></div></div>';
    document.body.append(root);
    const stop = patchMiradorAria(root);
    expect(root.querySelector('.MuiTabs-root')!.hasAttribute('aria-orientation')).toBe(false);
    expect(root.querySelector('[role="tablist"]')!.getAttribute('aria-orientation')).toBe('vertical');
    root.insertAdjacentHTML('beforeend', '<div class="MuiTabs-root" aria-orientation="vertical"></div>');
    await tick();
    expect(root.querySelectorAll('[aria-orientation]')).toHaveLength(1);
    stop();
  });

  it('makes search hits rendered as buttons inside a list into list items, leaving other buttons alone', async () => {
    const root = document.createElement('div');
    document.body.append(root);
    const stop = patchMiradorAria(root);
    root.innerHTML =
      '<ul><li class="MuiListItem-root">1</li><div class="MuiListItemButton-root" role="button" tabindex="0">2<button>more</button></div></ul>' +
      '<div class="MuiListItemButton-root" role="button" tabindex="0">elsewhere</div>';
    await tick();
    const [hit, other] = root.querySelectorAll('.MuiListItemButton-root');
    expect(hit!.getAttribute('role')).toBe('listitem');
    expect(hit!.getAttribute('tabindex')).toBe('0');
    expect(other!.getAttribute('role')).toBe('button');
    stop();
  });
});
