import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics, type LabelValues } from 'prom-client';

/**
 * The process's one Prometheus registry. Every metric is defined once, where its mechanism lives (HTTP,
 * RPC, JetStream consumers, the outbox relay, libs/graph…), through the helpers below, so it is listed on
 * `/metrics` from boot on (HELP and TYPE even before a first sample). With `METRICS_ENABLED=false`
 * (`configureMetrics`) every recording call returns at once and nothing is served.
 */
export const metricsRegistry = new Registry();

const state = { enabled: true, defaultsCollected: false };

/** Buckets in seconds for request latencies (HTTP, RPC, one Graph request, one message handled). */
export const LATENCY_BUCKETS = [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
/** Buckets in seconds for lags between a commit and its effect elsewhere (stream, notification). */
export const LAG_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300];

/** Once per process, at boot: the `service` label on every series, default process metrics, on or off. */
export function configureMetrics({ service, enabled }: { service: string; enabled: boolean }): void {
  state.enabled = enabled;
  metricsRegistry.setDefaultLabels({ service });
  if (enabled && !state.defaultsCollected) {
    collectDefaultMetrics({ register: metricsRegistry });
    state.defaultsCollected = true;
  }
}

export function metricsEnabled(): boolean {
  return state.enabled;
}

type Labels<L extends string> = LabelValues<L>;

export interface CounterInstrument<L extends string> {
  inc(labels: Labels<L>, by?: number): void;
}

export interface HistogramInstrument<L extends string> {
  observe(labels: Labels<L>, seconds: number): void;
  /** Starts a timer now; calling the result records the seconds since (no-op when metrics are off). */
  startTimer(): (labels: Labels<L>) => void;
}

export interface GaugeInstrument<L extends string> {
  inc(labels: Labels<L>, by?: number): void;
  dec(labels: Labels<L>, by?: number): void;
}

export interface GaugeSample<L extends string> {
  labels: Labels<L>;
  value: number;
}

/** A gauge read when Prometheus scrapes; each source (a consumer, a client factory…) adds its samples. */
export interface SampledGaugeInstrument<L extends string> {
  /** Adds a source; the returned function removes it (on shutdown, so a gone source leaves no series). */
  addSource(sample: () => Promise<GaugeSample<L>[]> | GaugeSample<L>[]): () => void;
}

interface MetricDefinition<L extends string> {
  name: string;
  help: string;
  labelNames?: readonly L[];
}

function existing<T>(name: string): T | undefined {
  return metricsRegistry.getSingleMetric(name) as T | undefined;
}

export function counter<L extends string = never>({ name, help, labelNames = [] }: MetricDefinition<L>): CounterInstrument<L> {
  const metric = existing<Counter<L>>(name) ?? new Counter<L>({ name, help, labelNames, registers: [metricsRegistry] });
  return {
    inc: (labels, by = 1) => {
      if (state.enabled) metric.inc(labels, by);
    },
  };
}

export function histogram<L extends string = never>({ name, help, labelNames = [], buckets }: MetricDefinition<L> & { buckets: number[] }): HistogramInstrument<L> {
  const metric = existing<Histogram<L>>(name) ?? new Histogram<L>({ name, help, labelNames, buckets, registers: [metricsRegistry] });
  const observe = (labels: Labels<L>, seconds: number) => {
    if (state.enabled) metric.observe(labels, seconds);
  };
  return {
    observe,
    startTimer: () => {
      if (!state.enabled) return () => undefined;
      const started = performance.now();
      return (labels) => observe(labels, (performance.now() - started) / 1000);
    },
  };
}

export function gauge<L extends string = never>({ name, help, labelNames = [] }: MetricDefinition<L>): GaugeInstrument<L> {
  const metric = existing<Gauge<L>>(name) ?? new Gauge<L>({ name, help, labelNames, registers: [metricsRegistry] });
  return {
    inc: (labels, by = 1) => {
      if (state.enabled) metric.inc(labels, by);
    },
    dec: (labels, by = 1) => {
      if (state.enabled) metric.dec(labels, by);
    },
  };
}

const SAMPLE_TIMEOUT_MS = 2000;
const sampledSources = new Map<string, Set<unknown>>();

export function sampledGauge<L extends string = never>({ name, help, labelNames = [] }: MetricDefinition<L>): SampledGaugeInstrument<L> {
  type Source = () => Promise<GaugeSample<L>[]> | GaugeSample<L>[];
  const sources = (sampledSources.get(name) as Set<Source> | undefined) ?? new Set<Source>();
  if (!existing(name)) {
    sampledSources.set(name, sources as Set<unknown>);
    new Gauge<L>({
      name,
      help,
      labelNames,
      registers: [metricsRegistry],
      async collect() {
        this.reset();
        const results = await Promise.allSettled([...sources].map((sample) => withTimeout(Promise.resolve().then(sample))));
        // A source that fails or is slow (a broker that does not answer) leaves its series out of this scrape.
        for (const result of results) if (result.status === 'fulfilled') for (const { labels, value } of result.value) this.set(labels, value);
      },
    });
  }
  return {
    addSource: (sample) => {
      sources.add(sample);
      return () => sources.delete(sample);
    },
  };
}

function withTimeout<T>(promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('metric sample timed out')), SAMPLE_TIMEOUT_MS);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
