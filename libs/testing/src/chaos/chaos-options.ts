// What one chaos run does: how many runs it starts, how many processes it SIGKILLs, over how long,
// and the two infrastructure outages. The bench reads them from CLI flags and environment variables;
// the end-to-end spec passes a small load directly.

export interface ChaosOptions {
  /** Distinct runs the load gets accepted (answered 200/202) across both tenants. */
  runs: number;
  /** SIGKILLs spread across every service's replicas, each restarted after 0–`maxRestartDelayMs`. */
  kills: number;
  /** The window over which starts, kills and outages are spread (the load goes on until `runs` is reached). */
  durationMs: number;
  /** One `kill -9` of the NATS server, restarted on its store after `natsDownMs`. */
  natsKill: boolean;
  natsDownMs: number;
  /** One immediate stop of Postgres, started again after `postgresDownMs`. */
  postgresStop: boolean;
  postgresDownMs: number;
  maxRestartDelayMs: number;
  /** Poison messages published across the streams (each must be recorded exactly once per consuming service). */
  poisonMessages: number;
  /** Operator actions in flight at once. */
  concurrency: number;
  /** How long, after the load, every accepted run has to become terminal. */
  settleTimeoutMs: number;
  /** A Graph emulator already listening (the harness resets the two demo tenants through its admin API). */
  graphUrl: string;
  /** Where progress lines go (the bench prints them; the spec keeps them for its failure message). */
  log: (line: string) => void;
  /** Seed of the load's and the faults' choices, so a failing run can be replayed with the same plan. */
  seed: number;
}

export const CHAOS_DEFAULTS: Omit<ChaosOptions, 'graphUrl' | 'log'> = {
  runs: 600,
  kills: 40,
  durationMs: 300_000,
  natsKill: true,
  natsDownMs: 3_000,
  postgresStop: true,
  postgresDownMs: 5_000,
  maxRestartDelayMs: 5_000,
  poisonMessages: 20,
  concurrency: 12,
  settleTimeoutMs: 180_000,
  seed: 14,
};

const FLAGS: Record<string, { env: string; key: keyof typeof CHAOS_DEFAULTS; scale?: number }> = {
  runs: { env: 'CHAOS_RUNS', key: 'runs' },
  kills: { env: 'CHAOS_KILLS', key: 'kills' },
  duration: { env: 'CHAOS_DURATION_S', key: 'durationMs', scale: 1000 },
  poison: { env: 'CHAOS_POISON', key: 'poisonMessages' },
  concurrency: { env: 'CHAOS_CONCURRENCY', key: 'concurrency' },
  settle: { env: 'CHAOS_SETTLE_S', key: 'settleTimeoutMs', scale: 1000 },
  seed: { env: 'CHAOS_SEED', key: 'seed' },
};

/**
 * `--runs=600 --kills=40 --duration=300 --poison=20 --concurrency=12 --settle=180 --seed=14
 * --no-nats-kill --no-postgres-stop`, each number also from `CHAOS_RUNS`, `CHAOS_KILLS`,
 * `CHAOS_DURATION_S`, `CHAOS_POISON`, `CHAOS_CONCURRENCY`, `CHAOS_SETTLE_S`, `CHAOS_SEED` (flags win).
 */
export function chaosOptionsFrom(argv: readonly string[], env: NodeJS.ProcessEnv): Omit<ChaosOptions, 'graphUrl' | 'log'> {
  const options = { ...CHAOS_DEFAULTS };
  const numberOf = (name: string, raw: string): number => {
    const value = Number(raw);
    if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a non-negative number (got "${raw}")`);
    return value;
  };
  for (const [flag, { env: variable, key, scale = 1 }] of Object.entries(FLAGS)) {
    const fromFlag = argv.find((argument) => argument.startsWith(`--${flag}=`))?.slice(flag.length + 3);
    const raw = fromFlag ?? env[variable];
    if (raw !== undefined && raw !== '') (options[key] as number) = numberOf(fromFlag !== undefined ? `--${flag}` : variable, raw) * scale;
  }
  if (argv.includes('--no-nats-kill')) options.natsKill = false;
  if (argv.includes('--no-postgres-stop')) options.postgresStop = false;
  const unknown = argv.filter((argument) => argument.startsWith('--') && !Object.keys(FLAGS).some((flag) => argument.startsWith(`--${flag}=`)) && !['--no-nats-kill', '--no-postgres-stop'].includes(argument));
  if (unknown.length > 0) throw new Error(`unknown option(s): ${unknown.join(' ')}`);
  return options;
}
