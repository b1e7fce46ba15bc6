/**
 * Reads shared for the life of the object (one run): the first caller of a key reads, later callers share the
 * same promise; a failed read is forgotten so that the next caller tries again. A run's reference listings (scope
 * tags, filters, templates) and its listings of collections several types share use it.
 */
export class SharedReads<K, T> {
  private readonly reads = new Map<K, Promise<T>>();

  constructor(private readonly load: (key: K) => Promise<T>) {}

  get(key: K): Promise<T> {
    let read = this.reads.get(key);
    if (!read) {
      read = this.load(key);
      read.catch(() => this.reads.delete(key));
      this.reads.set(key, read);
    }
    return read;
  }
}
