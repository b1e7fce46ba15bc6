/** `$expand` as a tree: `a($expand=b),c` → { a: { b: {} }, c: {} }. */
export interface ExpandTree {
  [navigation: string]: ExpandTree;
}

/** Splits on commas outside parentheses. */
function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const character of text) {
    if (character === '(') depth += 1;
    if (character === ')') depth -= 1;
    if (character === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else {
      current += character;
    }
  }
  if (current.trim()) parts.push(current);
  return parts.map((part) => part.trim()).filter(Boolean);
}

export function parseExpand(value: string | null): ExpandTree {
  const tree: ExpandTree = {};
  for (const part of splitTopLevel(value ?? '')) {
    const open = part.indexOf('(');
    const name = (open === -1 ? part : part.slice(0, open)).trim();
    const options = open === -1 ? '' : part.slice(open + 1, part.lastIndexOf(')'));
    const nested = /^\$expand=(.*)$/.exec(options.trim());
    tree[name] = nested ? parseExpand(nested[1]) : {};
  }
  return tree;
}

export function parseSelect(value: string | null): string[] | undefined {
  if (!value) return undefined;
  return value.split(',').map((name) => name.trim()).filter(Boolean);
}

/** `$filter` as used against Graph here: `property eq 'text'` (quotes doubled inside), numbers and booleans. */
export function parseFilter(value: string | null): { property: string; value: unknown } | undefined | 'unsupported' {
  if (!value) return undefined;
  const match = /^\s*([A-Za-z][A-Za-z0-9]*)\s+eq\s+('(?:[^']|'')*'|-?\d+(?:\.\d+)?|true|false|null)\s*$/.exec(value);
  if (!match) return 'unsupported';
  const literal = match[2];
  const parsed = literal.startsWith("'") ? literal.slice(1, -1).replace(/''/g, "'") : JSON.parse(literal);
  return { property: match[1], value: parsed };
}
