import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/config.js';
import { DocumentDataError } from '../../src/document/document-error.js';
import { loadDocument, loadDocuments } from '../../src/document/load-document.js';

const DOC = 'rgaspi-f558-op11-d340-l43-45';
const committed = path.join(projectRoot, 'manifests');

let root: string;
let doc: string;
/** How errors name files in the copy: `<manifests folder>/<document>/<file>`. */
let shown: (file: string) => string;

beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'documents-'));
  doc = path.join(root, 'manifests', DOC);
  await cp(path.join(committed, DOC), doc, { recursive: true, filter: (src) => !src.includes(`${path.sep}source`) });
  shown = (file) => `manifests/${DOC}/${file}`;
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

async function edit(file: string, change: (text: string) => string): Promise<void> {
  const at = path.join(doc, file);
  const before = await readFile(at, 'utf8');
  const after = change(before);
  expect(after, `the edit of ${file} changed nothing`).not.toBe(before);
  await writeFile(at, after);
}
async function editJson(file: string, change: (data: Record<string, unknown>) => void): Promise<void> {
  await edit(file, (text) => {
    const data = JSON.parse(text) as Record<string, unknown>;
    change(data);
    return JSON.stringify(data);
  });
}
async function loadError(): Promise<DocumentDataError> {
  const error = await loadDocument(doc).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DocumentDataError);
  return error as DocumentDataError;
}

describe('loadDocuments', () => {
  it('loads the committed document with its three leaves, ALTO geometry and aligned translation', async () => {
    const [document, ...others] = await loadDocuments(committed);
    expect(others).toEqual([]);
    expect(document!.id).toBe(DOC);
    expect(document!.record.reference.ru).toBe('РГАСПИ. Ф. 558. Оп. 11. Д. 340. Л. 43–45.');
    expect(document!.leaves.map((l) => [l.id, l.folio, l.image, l.transcription.format])).toEqual([
      ['l43', 43, 'rgaspi-f558-op11-d340-l043', 'alto'],
      ['l44', 44, 'rgaspi-f558-op11-d340-l044', 'alto'],
      ['l45', 45, 'rgaspi-f558-op11-d340-l045', 'alto'],
    ]);
    expect(document!.leaves[0]!.translation!.paragraphs[0]).toEqual({
      id: 'l43-en1',
      text: 'Cde. Filippov!',
      targets: ['l43-b1'],
    });
    expect(document!.contents.map((s) => s.id)).toEqual([
      'address',
      'correspondents',
      'agenda',
      'parallel-and-withdrawal',
      'observation',
      'refugees',
      'closing',
    ]);
    expect(document!.contents[2]!.items).toHaveLength(5);
    expect(document!.record).not.toHaveProperty('$schema');
    expect(document!.version).toMatch(/^[0-9a-f]{20}$/);
    // The bytes of every file read, for serving them as they were loaded.
    expect([...document!.files.keys()].sort()).toEqual(
      ['l043.alto.xml', 'l043.en.json', 'l044.alto.xml', 'l044.en.json', 'l045.alto.xml', 'l045.en.json', 'record.json'],
    );
    expect(document!.files.get('l043.alto.xml')!.equals(await readFile(path.join(committed, DOC, 'l043.alto.xml')))).toBe(true);
  });

  it('gives the same version for the same files and a new one when any data file changes', async () => {
    const first = (await loadDocument(doc)).version;
    expect((await loadDocument(doc)).version).toBe(first);
    await edit('l044.en.json', (t) => t.replace('5. Measures', '5.  Measures'));
    expect((await loadDocument(doc)).version).not.toBe(first);
  });

  it('loads a leaf whose transcription is plain text: lines without boxes, the mapping still holds', async () => {
    await writeFile(
      path.join(doc, 'l044.txt'),
      '5. Мероприятия относительно пленных\nпосле прекращения военных действий.\n\nВ вышеуказанной повестке дня\nконкретных вопросов по\n',
    );
    await editJson('record.json', (r) => {
      (r.leaves as { transcription: { file: string } }[])[1]!.transcription.file = 'l044.txt';
    });
    const leaf = (await loadDocument(doc)).leaves[1]!;
    expect(leaf.transcription.format).toBe('text');
    expect(leaf.transcription.page).toBeUndefined();
    expect(leaf.transcription.blocks.map((b) => [b.id, b.box, b.lines.map((l) => [l.id, l.text, l.box, l.words])])).toEqual([
      ['l44-b1', null, [['l44-b1-l1', '5. Мероприятия относительно пленных', null, []], ['l44-b1-l2', 'после прекращения военных действий.', null, []]]],
      ['l44-b2', null, [['l44-b2-l1', 'В вышеуказанной повестке дня', null, []], ['l44-b2-l2', 'конкретных вопросов по', null, []]]],
    ]);
    expect(leaf.translation!.paragraphs.map((p) => p.targets)).toEqual([['l44-b1'], ['l44-b2']]);
  });

  it('ignores the schema folder and fails on a document folder without record.json', async () => {
    await cp(path.join(committed, 'schema'), path.join(root, 'manifests', 'schema'), { recursive: true });
    expect((await loadDocuments(path.join(root, 'manifests'))).map((d) => d.id)).toEqual([DOC]);
    await rm(path.join(doc, 'record.json'));
    await expect(loadDocuments(path.join(root, 'manifests'))).rejects.toThrow(
      `Invalid document data in ${shown('record.json')} at /: file not found`,
    );
  });
});

describe('a bad record stops loading with the file, the field and the problem', () => {
  it('record.json that is not JSON', async () => {
    await edit('record.json', (t) => t.replace('{', '{,'));
    const error = await loadError();
    expect([error.file, error.field]).toEqual([shown('record.json'), '/']);
    expect(error.problem).toMatch(/^is not valid JSON \(/);
  });

  it('a required field missing', async () => {
    await editJson('record.json', (r) => delete r.title);
    expect((await loadError()).message).toBe(`Invalid document data in ${shown('record.json')} at /title: is required`);
  });

  it('a field not in the schema', async () => {
    await editJson('record.json', (r) => (r.titel = { en: ['typo'] }));
    expect((await loadError()).message).toBe(`Invalid document data in ${shown('record.json')} at /titel: is not allowed here`);
  });

  it('a malformed value (date)', async () => {
    await editJson('record.json', (r) => (r.date = '13.07.1951'));
    expect((await loadError()).message).toBe(
      `Invalid document data in ${shown('record.json')} at /date: must match format "date"`,
    );
  });

  it('a language map with a key that is not a language tag', async () => {
    await editJson('record.json', (r) => (r.summary = { Russian: ['…'] }));
    expect((await loadError()).message).toBe(
      `Invalid document data in ${shown('record.json')} at /summary/Russian: is not a BCP 47 language tag or "none"`,
    );
  });

  it('a rights URI that is not a rightsstatements.org or creativecommons.org http URI', async () => {
    await editJson('record.json', (r) => ((r.rights as { uri: string }).uri = 'https://rightsstatements.org/vocab/CNE/1.0/'));
    expect((await loadError()).message).toBe(
      `Invalid document data in ${shown('record.json')} at /rights/uri: must be an http:// URI of a rightsstatements.org statement or a creativecommons.org licence (the form IIIF Presentation 3.0 expects)`,
    );
  });

  it('a transcription file of an unknown kind', async () => {
    await editJson('record.json', (r) => ((r.leaves as { transcription: { file: string } }[])[0]!.transcription.file = 'l043.pdf'));
    expect((await loadError()).message).toBe(
      `Invalid document data in ${shown('record.json')} at /leaves/0/transcription/file: must be a file name in the document folder ending in .xml (ALTO or PAGE XML), .hocr or .html (hOCR) or .txt (plain text)`,
    );
  });

  it('a transcription format that its file name contradicts', async () => {
    await editJson('record.json', (r) => {
      (r.leaves as { transcription: { format: string } }[])[0]!.transcription.format = 'text';
    });
    expect((await loadError()).message).toBe(
      `Invalid document data in ${shown('record.json')} at /leaves/0/transcription/file: must be a file name ending in .txt for this format`,
    );
  });

  it('a transcription format that is not one of the four', async () => {
    await editJson('record.json', (r) => {
      (r.leaves as { transcription: { format: string } }[])[0]!.transcription.format = 'abbyy';
    });
    expect((await loadError()).message).toBe(
      `Invalid document data in ${shown('record.json')} at /leaves/0/transcription/format: must be equal to one of the allowed values (["alto","page","hocr","text"])`,
    );
  });

  it('two leaves with the same id', async () => {
    await editJson('record.json', (r) => ((r.leaves as { id: string }[])[2]!.id = 'l43'));
    expect((await loadError()).message).toBe(`Invalid document data in ${shown('record.json')} at /leaves/2/id: "l43" is used twice`);
  });

  it('two leaves with the same image', async () => {
    await editJson('record.json', (r) => ((r.leaves as { image: string }[])[1]!.image = 'rgaspi-f558-op11-d340-l043'));
    expect((await loadError()).message).toBe(
      `Invalid document data in ${shown('record.json')} at /leaves/1/image: "rgaspi-f558-op11-d340-l043" is used twice`,
    );
  });

  it('two leaves with the same folio', async () => {
    await editJson('record.json', (r) => ((r.leaves as { folio: number }[])[2]!.folio = 43));
    expect((await loadError()).message).toBe(`Invalid document data in ${shown('record.json')} at /leaves/2/folio: "43" is used twice`);
  });

  it('two table-of-contents entries with the same id, at any depth', async () => {
    await editJson('record.json', (r) => ((r.contents as { items: { id: string }[] }[])[2]!.items[0]!.id = 'address'));
    expect((await loadError()).message).toBe(
      `Invalid document data in ${shown('record.json')} at /contents/2/items/0/id: "address" is used twice`,
    );
  });

  it('a transcription file that does not exist', async () => {
    await rm(path.join(doc, 'l045.alto.xml'));
    expect((await loadError()).message).toBe(`Invalid document data in ${shown('l045.alto.xml')} at /: file not found`);
  });

  it('a table-of-contents entry targeting an id no leaf has', async () => {
    await editJson('record.json', (r) => ((r.contents as { targets: string[] }[])[1]!.targets[2] = 'l43-b40'));
    expect((await loadError()).message).toBe(
      `Invalid document data in ${shown('record.json')} at /contents/1/targets/2: "l43-b40" is not a TextBlock or TextLine id of any leaf`,
    );
  });
});

describe('bad ALTO stops loading with the file, the element and the problem', () => {
  it('XML that is not well-formed', async () => {
    await edit('l043.alto.xml', (t) => t.replace('</TextBlock>', '</TextBlok>'));
    const error = await loadError();
    expect([error.file, error.field]).toEqual([shown('l043.alto.xml'), '/']);
    expect(error.problem).toMatch(/^is not well-formed XML \(/);
  });

  it('a measurement unit other than pixels', async () => {
    await edit('l043.alto.xml', (t) => t.replace('<MeasurementUnit>pixel<', '<MeasurementUnit>mm10<'));
    expect((await loadError()).message).toBe(
      `Invalid document data in ${shown('l043.alto.xml')} at alto/Description/MeasurementUnit: must be "pixel" (found "mm10")`,
    );
  });

  it('a page without a size', async () => {
    await edit('l044.alto.xml', (t) => t.replace(/ WIDTH="3307"/, ''));
    expect((await loadError()).message).toBe(`Invalid document data in ${shown('l044.alto.xml')} at alto/Layout/Page/@WIDTH: is missing`);
  });

  it('a line without a position', async () => {
    await edit('l043.alto.xml', (t) => t.replace(/(<TextLine ID="l43-b2-l3") HPOS="\d+"/, '$1'));
    expect((await loadError()).message).toBe(
      `Invalid document data in ${shown('l043.alto.xml')} at TextLine[ID="l43-b2-l3"]/@HPOS: is missing`,
    );
  });

  it('a word with a non-numeric coordinate', async () => {
    await edit('l043.alto.xml', (t) => t.replace(/(<String ID="l43-b1-l1-w1" HPOS="\d+") VPOS="\d+"/, '$1 VPOS="top"'));
    expect((await loadError()).message).toBe(
      `Invalid document data in ${shown('l043.alto.xml')} at TextLine[ID="l43-b1-l1"]/String[1]/@VPOS: must be a non-negative number (found "top")`,
    );
  });

  it('a word without CONTENT', async () => {
    await edit('l045.alto.xml', (t) => t.replace(/CONTENT="МАО"/, 'CONTENT=""'));
    expect((await loadError()).message).toMatch(
      new RegExp(`^Invalid document data in ${shown('l045.alto.xml')} at TextLine\\[ID="l45-b10-l1"\\]/String\\[1\\]/@CONTENT: is missing or empty$`),
    );
  });

  it('a box outside the page', async () => {
    await edit('l044.alto.xml', (t) => t.replace(/(<TextLine ID="l44-b1-l2" HPOS="\d+" VPOS=")\d+"/, '$14670"'));
    const error = await loadError();
    expect([error.file, error.field]).toEqual([shown('l044.alto.xml'), 'TextLine[ID="l44-b1-l2"]']);
    expect(error.problem).toMatch(/^box \d+,4670,\d+,\d+ lies outside the 3307×4677 page$/);
  });

  it('an id already used on another leaf', async () => {
    await edit('l044.alto.xml', (t) => t.replace('ID="l44-b1"', 'ID="l43-b1"'));
    expect((await loadError()).message).toBe(
      `Invalid document data in ${shown('l044.alto.xml')} at /: id "l43-b1" is also used on another leaf`,
    );
  });

  it('an id used twice', async () => {
    await edit('l044.alto.xml', (t) => t.replace('ID="l44-b2"', 'ID="l44-b1"'));
    expect((await loadError()).message).toBe(
      `Invalid document data in ${shown('l044.alto.xml')} at TextBlock[2]/@ID: "l44-b1" is used twice`,
    );
  });
});

describe('a bad translation mapping stops loading with the file, the field and the problem', () => {
  it('a paragraph without targets', async () => {
    await editJson('l043.en.json', (t) => delete (t.paragraphs as Record<string, unknown>[])[3]!.targets);
    expect((await loadError()).message).toBe(`Invalid document data in ${shown('l043.en.json')} at /paragraphs/3/targets: is required`);
  });

  it('a target that is not a block or line of the same leaf', async () => {
    await editJson('l044.en.json', (t) => ((t.paragraphs as { targets: string[] }[])[1]!.targets = ['l43-b2']));
    expect((await loadError()).message).toBe(
      `Invalid document data in ${shown('l044.en.json')} at /paragraphs/1/targets/0: "l43-b2" is not a TextBlock or TextLine id of l044.alto.xml`,
    );
  });

  it('a paragraph id used on two leaves', async () => {
    await editJson('l045.en.json', (t) => ((t.paragraphs as { id: string }[])[0]!.id = 'l43-en1'));
    expect((await loadError()).message).toBe(
      `Invalid document data in ${shown('l045.en.json')} at /paragraphs/0/id: "l43-en1" is used twice in the document`,
    );
  });
});
