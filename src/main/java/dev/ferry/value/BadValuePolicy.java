package dev.ferry.value;

/** What to do with a value PostgreSQL cannot hold as stored (--on-bad-value). */
public enum BadValuePolicy {
  /** Load a repaired value and keep the original verbatim in ferry.fixups (the default). */
  FIX,
  /** Keep the whole row out of the table and put it, verbatim, in ferry.rejects. */
  SET_ASIDE,
  /** Stop, naming the table, key, column and value. */
  FAIL
}
