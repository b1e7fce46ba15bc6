import { GatewayException } from '../errors/gateway.exception.js';

export const MAX_BULK_ROWS = 500;
const COLUMNS = ['directoryId', 'domain', 'displayName', 'tags'] as const;
type Column = (typeof COLUMNS)[number];

/** One data row of a bulk onboarding CSV, as plain fields (validated later like a JSON body). */
export interface TenantCsvRow {
  /** Its line in the body (the header is line 1), for the per-row answer. */
  line: number;
  fields: { directoryId?: string; domain?: string; displayName?: string; tags?: string[] };
}

/** A row that cannot be read as the header says (wrong number of fields). */
export interface TenantCsvProblem {
  line: number;
  message: string;
}

/**
 * Reads a bulk onboarding body: RFC 4180 CSV (commas, double-quoted fields with `""` escapes, CRLF
 * or LF), a header naming its columns (`directoryId` and/or `domain`, `displayName`, optional `tags`,
 * in any order and letter case), tags separated by `;`. Blank lines are skipped. A body that is not
 * such a file is a 400; a row that is not is a problem of that row.
 */
export function parseTenantCsv(body: string): { rows: TenantCsvRow[]; problems: TenantCsvProblem[] } {
  const records = readRecords(body.replace(/^\uFEFF/, ''));
  const [header, ...data] = records.filter((record) => !(record.fields.length === 1 && record.fields[0].trim() === ''));
  if (!header) throw GatewayException.invalidRequest('body: an empty CSV; the first line names the columns (directoryId or domain, displayName, tags)');
  const columns = header.fields.map(columnOf);
  const unknown = header.fields.filter((_, index) => columns[index] === undefined);
  if (unknown.length > 0) throw GatewayException.invalidRequest(`body: unknown CSV column ${unknown.map((name) => JSON.stringify(name.trim())).join(', ')}; the columns are ${COLUMNS.join(', ')}`);
  if (new Set(columns).size !== columns.length) throw GatewayException.invalidRequest('body: a CSV column is named twice');
  if (!columns.includes('displayName') || !(columns.includes('directoryId') || columns.includes('domain'))) {
    throw GatewayException.invalidRequest('body: the CSV header must name displayName and directoryId or domain');
  }
  if (data.length === 0) throw GatewayException.invalidRequest('body: the CSV has a header but no rows');
  if (data.length > MAX_BULK_ROWS) throw GatewayException.invalidRequest(`body: at most ${MAX_BULK_ROWS} rows per request; this CSV has ${data.length}`);

  const rows: TenantCsvRow[] = [];
  const problems: TenantCsvProblem[] = [];
  for (const record of data) {
    if (record.fields.length !== columns.length) {
      problems.push({ line: record.line, message: `row: ${record.fields.length} fields where the header names ${columns.length}` });
      continue;
    }
    const fields: TenantCsvRow['fields'] = {};
    columns.forEach((column, index) => {
      const value = record.fields[index].trim();
      if (value === '') return;
      if (column === 'tags') fields.tags = value.split(';').map((tag) => tag.trim()).filter((tag) => tag !== '');
      else fields[column as Exclude<Column, 'tags'>] = value;
    });
    rows.push({ line: record.line, fields });
  }
  return { rows, problems };
}

function columnOf(name: string): Column | undefined {
  const wanted = name.trim().toLowerCase();
  return COLUMNS.find((column) => column.toLowerCase() === wanted);
}

/** Records with the line each starts on; a quoted field may span lines. */
function readRecords(text: string): { line: number; fields: string[] }[] {
  const records: { line: number; fields: string[] }[] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let recordLine = 1;
  for (let index = 0; index < text.length; index += 1) {
    const char = text[index];
    if (quoted) {
      if (char === '"' && text[index + 1] === '"') {
        field += '"';
        index += 1;
      } else if (char === '"') quoted = false;
      else {
        if (char === '\n') line += 1;
        field += char;
      }
    } else if (char === '"' && field === '') quoted = true;
    else if (char === ',') {
      fields.push(field);
      field = '';
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && text[index + 1] === '\n') index += 1;
      records.push({ line: recordLine, fields: [...fields, field] });
      fields = [];
      field = '';
      line += 1;
      recordLine = line;
    } else field += char;
  }
  if (quoted) throw GatewayException.invalidRequest(`body: a quoted CSV field opened on line ${recordLine} is never closed`);
  if (field !== '' || fields.length > 0) records.push({ line: recordLine, fields: [...fields, field] });
  return records;
}
