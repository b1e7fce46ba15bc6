import { GatewayException } from '../errors/gateway.exception.js';
import { MAX_BULK_ROWS, parseTenantCsv } from './tenant-csv.js';

const DIRECTORY = '7c1f2a3b-4d5e-4f60-8a71-92b3c4d5e601';

describe('parseTenantCsv', () => {
  it('reads rows by the header, in any column order and case, with tags split on ;', () => {
    const body = `\uFEFFDisplayName,domain,directoryId,TAGS\r\nContoso,,${DIRECTORY},gold; eu ;\r\n"Fabrikam, Inc.",fabrikam.onmicrosoft.com,,\n\n"Say ""hi""",x.test,,a`;
    expect(parseTenantCsv(body)).toEqual({
      rows: [
        { line: 2, fields: { displayName: 'Contoso', directoryId: DIRECTORY, tags: ['gold', 'eu'] } },
        { line: 3, fields: { displayName: 'Fabrikam, Inc.', domain: 'fabrikam.onmicrosoft.com' } },
        { line: 5, fields: { displayName: 'Say "hi"', domain: 'x.test', tags: ['a'] } },
      ],
      problems: [],
    });
  });

  it('keeps a quoted field across lines and counts lines from where each row starts', () => {
    const { rows } = parseTenantCsv('displayName,domain\n"Two\nlines",a.test\nNext,b.test\n');
    expect(rows).toEqual([
      { line: 2, fields: { displayName: 'Two\nlines', domain: 'a.test' } },
      { line: 4, fields: { displayName: 'Next', domain: 'b.test' } },
    ]);
  });

  it('reports a row with the wrong number of fields as a problem of that row', () => {
    expect(parseTenantCsv('displayName,domain\nA,a.test,extra\nB,b.test').problems).toEqual([{ line: 2, message: 'row: 3 fields where the header names 2' }]);
  });

  it.each([
    ['', /empty CSV/],
    ['displayName,tags\nA,x', /must name displayName and directoryId or domain/],
    ['displayName,domain,region\nA,a.test,eu', /unknown CSV column "region"/],
    ['displayName,domain,Domain\nA,a.test,b.test', /named twice/],
    ['displayName,domain\n', /no rows/],
    ['displayName,domain\n"A,a.test', /never closed/],
    [`displayName,domain\n${'A,a.test\n'.repeat(MAX_BULK_ROWS + 1)}`, /at most 500 rows/],
  ])('refuses %j as a whole', (body, message) => {
    let thrown: unknown;
    try {
      parseTenantCsv(body);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(GatewayException);
    expect((thrown as GatewayException).message).toMatch(message);
  });
});
