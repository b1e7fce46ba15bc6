// Reads a `/metrics` answer strictly as the Prometheus text exposition format (0.0.4): every sample belongs
// to a family declared by `# TYPE` (histogram and summary samples by their suffixes), label sets are
// well-formed and unique per sample name, values are numbers. Anything else throws, naming the line.

export type MetricType = 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';

export interface MetricSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface MetricsScrape {
  /** Family name → type (every `# TYPE` line). */
  families: Map<string, MetricType>;
  samples: MetricSample[];
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL = /^([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\\\|\\"|\\n)*)"/;
const SUFFIXES: Record<MetricType, string[]> = {
  counter: [''],
  gauge: [''],
  untyped: [''],
  histogram: ['_bucket', '_sum', '_count'],
  summary: ['', '_sum', '_count'],
};

export function parsePrometheusText(text: string): MetricsScrape {
  const families = new Map<string, MetricType>();
  const samples: MetricSample[] = [];
  const seen = new Set<string>();
  const lines = text.split('\n');
  lines.forEach((line, index) => {
    const where = `line ${index + 1} (${JSON.stringify(line.slice(0, 120))})`;
    if (line === '') return;
    if (line.startsWith('#')) {
      const [, keyword, name, ...rest] = line.split(' ');
      if (keyword === 'TYPE') {
        if (!NAME.test(name) || !(rest[0] in SUFFIXES) || families.has(name)) throw new Error(`bad TYPE at ${where}`);
        families.set(name, rest[0] as MetricType);
      } else if (keyword === 'HELP' && !NAME.test(name)) throw new Error(`bad HELP at ${where}`);
      return;
    }
    const sample = parseSample(line, where);
    const family = familyOf(sample.name, families);
    if (!family) throw new Error(`sample of no declared family at ${where}`);
    if (families.get(family) === 'histogram' && sample.name.endsWith('_bucket') && sample.labels.le === undefined) throw new Error(`bucket without le at ${where}`);
    const key = `${sample.name}${JSON.stringify(Object.entries(sample.labels).sort())}`;
    if (seen.has(key)) throw new Error(`duplicate series at ${where}`);
    seen.add(key);
    samples.push(sample);
  });
  return { families, samples };
}

function parseSample(line: string, where: string): MetricSample {
  const nameMatch = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(line);
  if (!nameMatch) throw new Error(`bad sample name at ${where}`);
  const name = nameMatch[0];
  let rest = line.slice(name.length);
  const labels: Record<string, string> = {};
  if (rest.startsWith('{')) {
    rest = rest.slice(1);
    while (!rest.startsWith('}')) {
      const label = LABEL.exec(rest);
      if (!label) throw new Error(`bad label at ${where}`);
      if (label[1] in labels) throw new Error(`repeated label ${label[1]} at ${where}`);
      labels[label[1]] = label[2].replace(/\\n/g, '\n').replace(/\\"/g, '"').replace(/\\\\/g, '\\');
      rest = rest.slice(label[0].length);
      if (rest.startsWith(',')) rest = rest.slice(1);
      else if (!rest.startsWith('}')) throw new Error(`bad label separator at ${where}`);
    }
    rest = rest.slice(1);
  }
  const parts = rest.trim().split(/\s+/);
  if (!rest.startsWith(' ') || parts.length < 1 || parts.length > 2) throw new Error(`bad value at ${where}`);
  const value = parseValue(parts[0]);
  if (value === undefined) throw new Error(`bad value at ${where}`);
  if (parts[1] !== undefined && !/^-?\d+$/.test(parts[1])) throw new Error(`bad timestamp at ${where}`);
  return { name, labels, value };
}

function parseValue(text: string): number | undefined {
  if (text === '+Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  if (text === 'NaN') return NaN;
  const value = Number(text);
  return text.length > 0 && !Number.isNaN(value) ? value : undefined;
}

function familyOf(sampleName: string, families: Map<string, MetricType>): string | undefined {
  for (const [family, type] of families) {
    for (const suffix of SUFFIXES[type]) if (sampleName === `${family}${suffix}`) return family;
  }
  return undefined;
}

/** The sum of the samples named `name` whose labels include `labels` (0 when none: a counter not yet moved). */
export function metricValue(scrape: MetricsScrape, name: string, labels: Record<string, string> = {}): number {
  return scrape.samples
    .filter((sample) => sample.name === name && Object.entries(labels).every(([key, value]) => sample.labels[key] === value))
    .reduce((sum, sample) => sum + sample.value, 0);
}

/** `GET <serviceUrl>/metrics`, checked as Prometheus text. */
export async function scrapeMetrics(serviceUrl: string): Promise<MetricsScrape> {
  const response = await fetch(`${serviceUrl}/metrics`);
  if (response.status !== 200) throw new Error(`${serviceUrl}/metrics answered ${response.status}`);
  const type = response.headers.get('content-type') ?? '';
  if (!type.startsWith('text/plain') || !type.includes('version=0.0.4')) throw new Error(`${serviceUrl}/metrics is ${type}`);
  return parsePrometheusText(await response.text());
}
