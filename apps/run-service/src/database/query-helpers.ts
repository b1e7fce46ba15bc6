import type { QueryDeepPartialEntity } from 'typeorm';

/** A page of rows plus, per row, the exact sort instant (microseconds; a JS Date keeps only milliseconds). */
export interface KeysetPage<T> {
  rows: T[];
  sortInstants: string[];
}

/** Selects the exact text of a timestamptz column, for keyset cursors. */
export const exactInstant = (column: string) => `to_json(${column}) #>> '{}'`;

/** Values to insert or update in an entity with jsonb columns, whose `unknown` values TypeORM's deep-partial type rejects. */
export const jsonb = <T>(values: Partial<T>) => values as QueryDeepPartialEntity<T>;
