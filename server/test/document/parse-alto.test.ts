import { describe, expect, it } from 'vitest';
import { parseAlto } from '../../src/document/parse-alto.js';
import { parsePlainText } from '../../src/document/parse-plain-text.js';

/** ALTO as other engines write it: a namespace prefix, margins, a ComposedBlock, float coordinates, no ids, a hyphen. */
const foreign = `<?xml version="1.0" encoding="UTF-8"?>
<a:alto xmlns:a="http://www.loc.gov/standards/alto/ns-v4#">
  <a:Description><a:MeasurementUnit>pixel</a:MeasurementUnit></a:Description>
  <a:Layout>
    <a:Page WIDTH="2000" HEIGHT="3000" PHYSICAL_IMG_NR="1">
      <a:TopMargin HPOS="0" VPOS="0" WIDTH="2000" HEIGHT="200">
        <a:TextBlock ID="tm1" HPOS="1800" VPOS="50" WIDTH="100" HEIGHT="60">
          <a:TextLine ID="tm1-1" HPOS="1800" VPOS="50" WIDTH="100" HEIGHT="60">
            <a:String CONTENT="43" HPOS="1800" VPOS="50" WIDTH="100" HEIGHT="60"/>
          </a:TextLine>
        </a:TextBlock>
      </a:TopMargin>
      <a:PrintSpace HPOS="100" VPOS="200" WIDTH="1800" HEIGHT="2600">
        <a:ComposedBlock ID="cb1">
          <a:TextBlock HPOS="100.4" VPOS="200" WIDTH="1700" HEIGHT="140">
            <a:TextLine HPOS="100.4" VPOS="200" WIDTH="1700" HEIGHT="60.6">
              <a:String CONTENT="Товарищ" HPOS="100.4" VPOS="200" WIDTH="300" HEIGHT="60"/>
              <a:SP WIDTH="40" HPOS="400" VPOS="200"/>
              <a:String CONTENT="Филип" SUBS_TYPE="HypPart1" SUBS_CONTENT="Филиппов!" HPOS="440" VPOS="200" WIDTH="260" HEIGHT="60"/>
              <a:HYP CONTENT="-"/>
            </a:TextLine>
            <a:TextLine HPOS="100" VPOS="280" WIDTH="500" HEIGHT="60">
              <a:String CONTENT="пов!" HPOS="100" VPOS="280" WIDTH="200" HEIGHT="60"/>
            </a:TextLine>
          </a:TextBlock>
        </a:ComposedBlock>
      </a:PrintSpace>
    </a:Page>
  </a:Layout>
</a:alto>`;

describe('parseAlto', () => {
  it('reads blocks from the margins and composed blocks in document order, rounding coordinates and filling in missing ids', () => {
    const page = parseAlto(foreign, 'scan.xml', 'l43');
    expect([page.width, page.height]).toEqual([2000, 3000]);
    expect(page.blocks.map((b) => b.id)).toEqual(['tm1', 'l43-b2']);
    const [first, second] = page.blocks[1]!.lines;
    expect(first).toEqual({
      id: 'l43-b2-l1',
      text: 'Товарищ Филип-',
      box: { x: 100, y: 200, w: 1700, h: 61 },
      words: [
        { id: 'l43-b2-l1-w1', text: 'Товарищ', box: { x: 100, y: 200, w: 300, h: 60 } },
        { id: 'l43-b2-l1-w2', text: 'Филип', box: { x: 440, y: 200, w: 260, h: 60 } },
      ],
    });
    expect(second!.text).toBe('пов!');
    expect(page.blocks[1]!.box).toEqual({ x: 100, y: 200, w: 1700, h: 140 });
  });

  it('decodes character references in CONTENT as well as the XML entities', () => {
    const escaped = foreign.replace('CONTENT="пов!"', 'CONTENT="&#1087;&#x43E;&#1074;&amp;&quot;"');
    expect(parseAlto(escaped, 'scan.xml', 'l43').blocks[1]!.lines[1]!.text).toBe('пов&"');
  });

  it('rejects a page with no text block', () => {
    const empty = foreign.replace(/<a:TopMargin[\s\S]*<\/a:PrintSpace>/, '');
    expect(() => parseAlto(empty, 'scan.xml', 'l43')).toThrow(
      'Invalid document data in scan.xml at alto/Layout/Page: has no TextBlock',
    );
  });

  it('rejects a file whose root is not <alto>', () => {
    expect(() => parseAlto('<PcGts/>', 'page.xml', 'l43')).toThrow(
      'Invalid document data in page.xml at /: has no <alto> root element',
    );
  });
});

describe('parsePlainText', () => {
  it('makes one block per paragraph and one line per line, with ids like the ALTO writer’s and no geometry', () => {
    const blocks = parsePlainText('  Товарищ Филиппов!\r\n\r\n\r\nЧто касается\nпереговоров  о\n \n', 'l43');
    expect(blocks).toEqual([
      { id: 'l43-b1', box: null, lines: [{ id: 'l43-b1-l1', text: 'Товарищ Филиппов!', box: null, words: [] }] },
      {
        id: 'l43-b2',
        box: null,
        lines: [
          { id: 'l43-b2-l1', text: 'Что касается', box: null, words: [] },
          { id: 'l43-b2-l2', text: 'переговоров о', box: null, words: [] },
        ],
      },
    ]);
  });
});
