import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * Runs one of poppler-utils' tools (Debian's poppler-utils package) on a PDF file and returns
 * what it prints. A missing tool is an error, never a skip: these tests are the independent
 * reader of what the service writes.
 */
export async function poppler(tool: 'pdftotext' | 'pdfinfo' | 'pdffonts', args: readonly string[]): Promise<string> {
  const { stdout } = await run(tool, [...args], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  return stdout;
}

/** Text with every run of whitespace made one space, trimmed. */
export const normalised = (text: string) => text.replace(/\s+/g, ' ').trim();

/** `pdfinfo`'s "Key: value" lines as a map. */
export function infoFields(output: string): Map<string, string> {
  return new Map(
    output
      .split('\n')
      .map((line) => /^([^:]+):\s*(.*)$/.exec(line))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => [m[1]!.trim(), m[2]!.trim()]),
  );
}

export interface TextBox {
  readonly text: string;
  readonly xMin: number;
  readonly yMin: number;
  readonly xMax: number;
  readonly yMax: number;
}

const entities: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&apos;': "'" };

/** The words of `pdftotext -bbox` output, in its order; coordinates in points from the top left. */
export function bboxWords(html: string): TextBox[] {
  return [...html.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g)].map((m) => ({
    text: m[5]!.replace(/&[a-z]+;/g, (e) => entities[e] ?? e),
    xMin: Number(m[1]),
    yMin: Number(m[2]),
    xMax: Number(m[3]),
    yMax: Number(m[4]),
  }));
}
