import type { PolicyDocument } from './policy-document.js';

export const REPORT_FORMATS = ['html', 'markdown'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** The set a report documents, and its outline (types in order, each with its policies), known before the first policy. */
export interface ReportHeader {
  setName: string;
  setId: string;
  status: string;
  tenantName: string;
  tenantId: string;
  createdAt: string;
  completedAt: string | null;
  generatedAt: string;
  itemCount: number;
  types: Array<{ policyType: string; label: string; items: Array<{ id: string; displayName: string }> }>;
}

/** Writes a report piece by piece (header, then each type's policies in order), so it can be streamed. */
export interface ReportWriter {
  readonly contentType: string;
  readonly extension: string;
  header(header: ReportHeader): string;
  typeStart(policyType: string, label: string, count: number): string;
  policy(document: PolicyDocument): string;
  typeEnd(): string;
  end(): string;
}

export function reportWriter(format: ReportFormat): ReportWriter {
  return format === 'html' ? new HtmlReportWriter() : new MarkdownReportWriter();
}

const typeAnchor = (policyType: string) => `type-${policyType.replace(/[^A-Za-z0-9]/g, '')}`;
const itemAnchor = (id: string) => `item-${id.replace(/[^A-Za-z0-9-]/g, '')}`;
const DOCUMENT_TITLE = 'As-built documentation';

/** Text inside HTML elements and attribute values: nothing in it can open a tag, an entity or end an attribute. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[character]!);
}

/**
 * Text inside Markdown (table cells, headings, list items): `&`, `<` and `>` as entity references (so no raw
 * tag is ever in the file, whatever reads it), CommonMark's backslash escapes for everything else that could
 * start emphasis, a link, code or a table cell; line breaks become spaces (a cell is one line).
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/\r\n|[\r\n]+/g, ' ')
    .replace(/[&<>]/g, (character) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[character]!)
    .replace(/[\\`*_[\]#|~]/g, (character) => `\\${character}`);
}

const humanCount = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`;

class MarkdownReportWriter implements ReportWriter {
  readonly contentType = 'text/markdown; charset=utf-8';
  readonly extension = 'md';

  header(header: ReportHeader): string {
    const md = escapeMarkdown;
    const lines = [
      `# ${DOCUMENT_TITLE}: ${md(header.setName)}`,
      '',
      '| | |',
      '|---|---|',
      `| Tenant | ${md(header.tenantName)} |`,
      `| Backup set | ${md(header.setName)} |`,
      `| Status | ${md(header.status)} |`,
      `| Created | ${md(header.createdAt)} |`,
      `| Completed | ${md(header.completedAt ?? '—')} |`,
      `| Policies | ${header.itemCount} |`,
      `| Generated | ${md(header.generatedAt)} |`,
      '',
      '## Contents',
      '',
    ];
    for (const type of header.types) {
      lines.push(`- [${md(type.label)}](#${typeAnchor(type.policyType)}) (${type.items.length})`);
      for (const item of type.items) lines.push(`  - [${md(item.displayName)}](#${itemAnchor(item.id)})`);
    }
    return `${lines.join('\n')}\n`;
  }

  typeStart(policyType: string, label: string, count: number): string {
    return `\n<a id="${typeAnchor(policyType)}"></a>\n\n## ${escapeMarkdown(label)} (${humanCount(count, 'policy', 'policies')})\n`;
  }

  policy(document: PolicyDocument): string {
    const md = escapeMarkdown;
    const lines = ['', `<a id="${itemAnchor(document.id)}"></a>`, '', `### ${md(document.displayName)}`, '', '| Property | Value |', '|---|---|'];
    for (const row of document.basics) lines.push(`| ${md(row.name)} | ${md(row.value)} |`);
    lines.push('', '#### Settings', '');
    if (document.settings.length === 0) lines.push('No settings.');
    else {
      lines.push('| Setting | Value |', '|---|---|');
      for (const row of document.settings) lines.push(`| ${'&emsp;'.repeat(row.depth)}${md(row.name)} | ${md(row.value)} |`);
    }
    lines.push('', '#### Assignments', '');
    if (document.assignments.length === 0) lines.push('Not assigned.');
    else {
      lines.push('| Assignment | Target | Filter |', '|---|---|---|');
      for (const row of document.assignments) lines.push(`| ${row.intent} | ${md(row.target)} | ${md(row.filter)} |`);
    }
    return `${lines.join('\n')}\n`;
  }

  typeEnd(): string {
    return '';
  }

  end(): string {
    return '';
  }
}

/** Printable on its own: styles inline in the document, no script, no external resource. */
const STYLE = `
body{font-family:-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;color:#1b1f24;margin:2rem auto;max-width:60rem;padding:0 1rem;line-height:1.45}
h1{font-size:1.7rem;margin-bottom:.5rem}h2{font-size:1.35rem;border-bottom:2px solid #0b5cad;padding-bottom:.2rem;margin-top:2.5rem}
h3{font-size:1.1rem;margin:1.8rem 0 .4rem}h4{font-size:.95rem;margin:1rem 0 .3rem;color:#3d4650}
table{border-collapse:collapse;width:100%;margin:.3rem 0 .8rem;font-size:.88rem}
th,td{border:1px solid #d0d7de;padding:.3rem .5rem;text-align:left;vertical-align:top;overflow-wrap:anywhere}
thead th{background:#f0f3f6}table.meta th,table.basics th{width:14rem;background:#f6f8fa;font-weight:600}
table.settings th{font-weight:normal;width:45%}.d1 th{padding-left:1.6rem}.d2 th{padding-left:2.8rem}.d3 th{padding-left:4rem}.d4 th{padding-left:5.2rem}.d5 th{padding-left:6.4rem}
nav ol{padding-left:1.4rem}nav li{margin:.1rem 0}.empty{color:#57606a;font-style:italic}
article.policy{border-top:1px solid #d0d7de}
@media print{body{margin:0;max-width:none}nav{page-break-after:always}section.type{page-break-before:always}article.policy{page-break-inside:avoid}a{color:inherit;text-decoration:none}}
`
  .trim()
  .replace(/\n/g, '');

class HtmlReportWriter implements ReportWriter {
  readonly contentType = 'text/html; charset=utf-8';
  readonly extension = 'html';

  header(header: ReportHeader): string {
    const h = escapeHtml;
    const meta: Array<[string, string]> = [
      ['Tenant', header.tenantName],
      ['Backup set', header.setName],
      ['Status', header.status],
      ['Created', header.createdAt],
      ['Completed', header.completedAt ?? '—'],
      ['Policies', String(header.itemCount)],
      ['Generated', header.generatedAt],
    ];
    const contents = header.types
      .map(
        (type) =>
          `<li><a href="#${typeAnchor(type.policyType)}">${h(type.label)}</a> (${type.items.length})<ol>` +
          type.items.map((item) => `<li><a href="#${itemAnchor(item.id)}">${h(item.displayName)}</a></li>`).join('') +
          '</ol></li>',
      )
      .join('');
    return (
      `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">` +
      `<title>${DOCUMENT_TITLE}: ${h(header.setName)}</title><style>${STYLE}</style></head><body>\n` +
      `<header><h1>${DOCUMENT_TITLE}: ${h(header.setName)}</h1><table class="meta"><tbody>` +
      meta.map(([name, value]) => `<tr><th scope="row">${h(name)}</th><td>${h(value)}</td></tr>`).join('') +
      `</tbody></table></header>\n<nav><h2>Contents</h2><ol>${contents}</ol></nav>\n`
    );
  }

  typeStart(policyType: string, label: string, count: number): string {
    return `<section class="type" id="${typeAnchor(policyType)}"><h2>${escapeHtml(label)} (${humanCount(count, 'policy', 'policies')})</h2>\n`;
  }

  policy(document: PolicyDocument): string {
    const h = escapeHtml;
    const parts = [`<article class="policy" id="${itemAnchor(document.id)}"><h3>${h(document.displayName)}</h3>`];
    parts.push('<table class="basics"><tbody>', ...document.basics.map((row) => `<tr><th scope="row">${h(row.name)}</th><td>${h(row.value)}</td></tr>`), '</tbody></table>');
    parts.push('<h4>Settings</h4>');
    if (document.settings.length === 0) parts.push('<p class="empty">No settings.</p>');
    else {
      parts.push('<table class="settings"><thead><tr><th scope="col">Setting</th><th scope="col">Value</th></tr></thead><tbody>');
      for (const row of document.settings) parts.push(`<tr class="d${Math.min(row.depth, 5)}"><th scope="row">${h(row.name)}</th><td>${h(row.value)}</td></tr>`);
      parts.push('</tbody></table>');
    }
    parts.push('<h4>Assignments</h4>');
    if (document.assignments.length === 0) parts.push('<p class="empty">Not assigned.</p>');
    else {
      parts.push('<table class="assignments"><thead><tr><th scope="col">Assignment</th><th scope="col">Target</th><th scope="col">Filter</th></tr></thead><tbody>');
      for (const row of document.assignments) parts.push(`<tr><td>${h(row.intent)}</td><td>${h(row.target)}</td><td>${h(row.filter)}</td></tr>`);
      parts.push('</tbody></table>');
    }
    parts.push('</article>\n');
    return parts.join('');
  }

  typeEnd(): string {
    return '</section>\n';
  }

  end(): string {
    return '</body></html>\n';
  }
}
