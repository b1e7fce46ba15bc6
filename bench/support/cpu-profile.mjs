// Preloaded into a service by a benchmark (`BENCH_CPU_PROFILE_DIR=tmp/profiles`, passed as NODE_OPTIONS=--import):
// records a V8 CPU profile of the whole process and writes it at exit (`--cpu-prof` is not allowed in NODE_OPTIONS).
import { Session } from 'node:inspector';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const directory = process.env.BENCH_CPU_PROFILE_DIR;
if (directory) {
  const session = new Session();
  session.connect();
  session.post('Profiler.enable');
  session.post('Profiler.setSamplingInterval', { interval: 500 });
  session.post('Profiler.start');
  let written = false;
  const write = () => {
    if (written) return;
    written = true;
    // A main-thread session answers synchronously, so this completes inside the handler.
    session.post('Profiler.stop', (error, result) => {
      if (error) return;
      mkdirSync(directory, { recursive: true });
      const name = `${process.env.BENCH_PROFILE_NAME ?? 'service'}-${process.pid}.cpuprofile`;
      writeFileSync(join(directory, name), JSON.stringify(result.profile));
    });
  };
  process.on('exit', write);
  // The services re-raise the signal after their shutdown hooks, which ends the process without 'exit'.
  // `once`: registered before the service's own listener, it runs first and then leaves the default behaviour.
  process.once('SIGTERM', write);
  process.once('SIGINT', write);
}
