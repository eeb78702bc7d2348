import { wireEmbedSkipLinks } from './skip-links.js';
import { start } from './start.js';

/** Starts the viewer on the embed page, with its skip links. */
export async function run(): Promise<void> {
  const { instance, windowId } = await start();
  wireEmbedSkipLinks(instance, windowId);
}
