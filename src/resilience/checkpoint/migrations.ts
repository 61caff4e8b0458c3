/**
 * A workflow's state schema: its current version and one forward migration per older version
 * (`migrations[n]` turns a version-n state into version n+1). A state newer than `version`, or one with a gap
 * in the migrations, cannot be read by this build.
 */
export interface StateSchema<S> {
  version: number;
  migrations?: Readonly<Record<number, (state: unknown) => unknown>>;
  /** Checks the (migrated) state and returns it typed; throws on anything it does not accept. */
  parse(state: unknown): S;
}

export type Migrated<S> = { ok: true; state: S } | { ok: false; reason: 'unknownVersion' | 'invalidState' };

/** Runs the migrations from `fromVersion` up to the schema's version, then the schema's own check. */
export function migrateState<S>(schema: StateSchema<S>, fromVersion: number, state: unknown): Migrated<S> {
  if (fromVersion > schema.version) return { ok: false, reason: 'unknownVersion' };
  let current = state;
  for (let version = fromVersion; version < schema.version; version++) {
    const migrate = schema.migrations?.[version];
    if (!migrate) return { ok: false, reason: 'unknownVersion' };
    try {
      current = migrate(current);
    } catch {
      return { ok: false, reason: 'invalidState' };
    }
  }
  try {
    return { ok: true, state: schema.parse(current) };
  } catch {
    return { ok: false, reason: 'invalidState' };
  }
}
