// `npm run chaos`: the chaos suite at full size (RELIABILITY.md): its own Postgres and NATS, the Graph
// emulator, two replicas of every service, ≥ 600 runs over two tenants, ≥ 40 SIGKILLs, one NATS kill -9,
// one Postgres immediate stop; then one PASS/FAIL line per check. Exits non-zero when a check fails.
// Options: --runs= --kills= --duration=<s> --poison= --concurrency= --settle=<s> --seed= --no-nats-kill
// --no-postgres-stop (or CHAOS_RUNS, CHAOS_KILLS, CHAOS_DURATION_S, …). Raw figures: bench/chaos/last-run.json.
import { writeFileSync } from 'node:fs';
import { startGraphEmulator } from '@policyvault/graph-emulator';
import { chaosOptionsFrom, runChaos } from '@policyvault/testing';
import { runBench } from '../support/bench-environment.js';

runBench(async () => {
  const options = chaosOptionsFrom(process.argv.slice(2), process.env);
  const emulator = await startGraphEmulator({ port: 0, seedDemoTenants: false });
  try {
    const report = await runChaos({ ...options, graphUrl: emulator.url, log: (line) => console.log(line) });
    writeFileSync(
      'bench/chaos/last-run.json',
      `${JSON.stringify({ at: new Date().toISOString(), options, summary: report.summary, checks: report.checks, passed: report.passed }, null, 2)}\n`,
    );
    console.log(report.passed ? 'chaos: every check passed' : `chaos: ${report.checks.filter((check) => !check.pass).length} check(s) failed`);
    process.exitCode = report.passed ? 0 : 1;
  } finally {
    await emulator.close();
  }
});
