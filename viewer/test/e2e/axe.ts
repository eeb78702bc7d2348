import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { clientsDir, ensureTestClients } from '../../../server/scripts/install-test-clients.js';

/** The WCAG 2.0 and 2.1 level A and AA rules of axe-core. */
export const wcagTags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

export interface Violation {
  rule: string;
  impact: string;
  /** CSS selectors of the offending nodes (a few, for the failure message). */
  targets: string[];
}

let source: Promise<string> | undefined;
/** axe-core is a test tool: it comes with the other clients, installed by the test command only. */
const axeSource = () =>
  (source ??= ensureTestClients({ quiet: true }).then(() =>
    readFile(createRequire(path.join(clientsDir, 'package.json')).resolve('axe-core/axe.min.js'), 'utf8'),
  ));

/**
 * Runs axe-core in the page and returns its serious and critical WCAG A/AA violations. The
 * script is evaluated through the DevTools protocol (not a <script> tag), so the page's
 * Content-Security-Policy, which allows only our own scripts, stays as it is.
 */
export async function seriousViolations(target: Page | Frame): Promise<Violation[]> {
  const loaded = await target.evaluate(() => typeof (window as unknown as { axe?: unknown }).axe === 'object');
  if (!loaded) await target.evaluate(`${await axeSource()};void 0`);
  return target.evaluate(async (tags) => {
    type Result = { id: string; impact: string | null; nodes: { target: unknown[] }[] };
    const axe = (window as unknown as { axe: { run(ctx: Document, o: object): Promise<{ violations: Result[] }> } }).axe;
    const { violations } = await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => ({ rule: v.id, impact: v.impact ?? '', targets: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
  }, wcagTags);
}
