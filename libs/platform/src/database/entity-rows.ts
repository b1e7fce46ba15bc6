import type { DataSource, EntityManager, EntityMetadata, EntityTarget } from 'typeorm';

/**
 * Rows of a hand-written statement as TypeORM's `find` gives them: `columns` selects every column of the entity by
 * name (built once), and `hydrate` turns a row into a new instance of the entity, each value prepared by the driver
 * (`prepareHydratedValue`: dates, JSON, transformers) in the entity's column order, as TypeORM's raw-results
 * transformer does. For a statement on a hot path, where the query builder costs more CPU than the statement itself.
 * Only entities TypeORM hydrates from their own columns alone are accepted (no relations, embedded or virtual
 * columns, inheritance, load listeners or subscribers): anything else throws when this is built.
 *
 * `update` is TypeORM's `manager.update` followed by a read of the rows it changed, in one round trip (`UPDATE …
 * RETURNING`), for entities whose updates TypeORM adds nothing to (no update-date or version column, no update
 * listeners or subscribers: it throws for the others).
 */
export class EntityRows<Entity> {
  /** The entity's columns, quoted, for a SELECT or RETURNING list. */
  readonly columns: string;
  /** The entity's table, schema-qualified. */
  readonly table: string;
  private readonly metadata: EntityMetadata;

  constructor(
    private readonly dataSource: DataSource,
    target: EntityTarget<Entity>,
  ) {
    this.metadata = dataSource.getMetadata(target);
    const { metadata } = this;
    const loadListened = dataSource.subscribers.some((subscriber) => typeof subscriber.afterLoad === 'function');
    if (metadata.relations.length > 0 || metadata.embeddeds.length > 0 || metadata.childEntityMetadatas.length > 0 || metadata.afterLoadListeners.length > 0 || loadListened || metadata.columns.some((column) => column.isVirtual)) {
      throw new Error(`EntityRows: ${metadata.name} is not hydrated from its own columns alone`);
    }
    this.columns = this.columnsOf();
    this.table = metadata.tablePath;
  }

  /** `columns`, each qualified by `alias` when one is given (a RETURNING list of an `UPDATE … FROM`). */
  columnsOf(alias?: string): string {
    return this.metadata.columns.map((column) => `${alias ? `${alias}.` : ''}"${column.databaseName}"`).join(', ');
  }

  /**
   * Sets `changes` on the rows matching `where` (equality on each property) and answers those rows as they are
   * after the change, hydrated as `find` gives them. Values are prepared by the driver as TypeORM's own update
   * prepares them (JSON, dates, transformers); a raw SQL expression (a function value) is refused.
   */
  async update(manager: Pick<EntityManager, 'query'>, where: Partial<Entity>, changes: Partial<Entity>): Promise<Entity[]> {
    this.refuseUpdateExtras();
    const parameters: unknown[] = [];
    const bind = (property: string, value: unknown) => {
      const column = this.column(property);
      if (typeof value === 'function') throw new Error(`EntityRows.update: ${this.metadata.name}.${property} is given a raw SQL expression`);
      parameters.push(this.dataSource.driver.preparePersistentValue(value, column));
      return `"${column.databaseName}" = $${parameters.length}`;
    };
    const set = Object.entries(changes).filter(([, value]) => value !== undefined).map(([property, value]) => bind(property, value));
    const conditions = Object.entries(where).map(([property, value]) => bind(property, value));
    if (set.length === 0 || conditions.length === 0) throw new Error(`EntityRows.update: ${this.metadata.name} needs changes and a condition`);
    // An UPDATE … RETURNING answers [rows, affected] through TypeORM's Postgres driver.
    const [rows] = (await manager.query(`UPDATE ${this.table} SET ${set.join(', ')} WHERE ${conditions.join(' AND ')} RETURNING ${this.columns}`, parameters)) as [Record<string, unknown>[], number];
    return rows.map((row) => this.hydrate(row));
  }

  private column(property: string): EntityMetadata['columns'][number] {
    const column = this.metadata.findColumnWithPropertyName(property);
    if (!column) throw new Error(`EntityRows: ${this.metadata.name} has no column ${property}`);
    return column;
  }

  private refuseUpdateExtras(): void {
    const { metadata } = this;
    const listened = this.dataSource.subscribers.some((subscriber) => typeof subscriber.beforeUpdate === 'function' || typeof subscriber.afterUpdate === 'function');
    if (listened || metadata.updateDateColumn || metadata.versionColumn || metadata.beforeUpdateListeners.length > 0 || metadata.afterUpdateListeners.length > 0) {
      throw new Error(`EntityRows: TypeORM adds to the updates of ${metadata.name} (update date, version or listeners)`);
    }
  }

  hydrate(row: Record<string, unknown>): Entity {
    const entity = this.metadata.create(undefined, { fromDeserializer: true }) as Entity;
    for (const column of this.metadata.columns) {
      const value = row[column.databaseName];
      if (value !== undefined) column.setEntityValue(entity as object, this.dataSource.driver.prepareHydratedValue(value, column));
    }
    return entity;
  }
}
