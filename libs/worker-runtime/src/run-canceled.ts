/**
 * Thrown at a checkpoint between items once someone asked to cancel the run: no new item starts, the
 * items already in flight finish (forEachLimited waits for them), and the job runner ends the run
 * `canceled` with the items reported so far. Not a failure: the command is acknowledged.
 */
export class RunCanceled extends Error {
  constructor() {
    super('the run was canceled');
    this.name = 'RunCanceled';
  }
}
