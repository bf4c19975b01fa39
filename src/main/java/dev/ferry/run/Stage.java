package dev.ferry.run;

import java.util.Locale;

/** The stages of one migration, in order; most are timed into the report's phases. */
enum Stage {
  BACKUP,
  PLAN,
  /** The target schema (not timed). */
  SCHEMA,
  LOAD,
  KEYS,
  VERIFY,
  /** The outcome recorded and reported (not timed). */
  COMMIT;

  /** The key of this stage in the report's phases. */
  String phase() {
    return name().toLowerCase(Locale.ROOT);
  }
}
