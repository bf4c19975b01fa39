package dev.ferry.plan;

/**
 * The PostgreSQL type chosen for a column and why.
 *
 * @param type the type
 * @param epoch how stored integers become instants, for date/time types
 * @param reason one line for people: what was declared, what is stored, what follows
 * @param repairs values that PostgreSQL cannot hold as stored and that the load repairs or sets
 *     aside (per --on-bad-value); 0 when every value loads as it is
 * @param stored what the column stores (null when not profiled)
 */
public record TypeChoice(
    PgType type, EpochUnit epoch, String reason, long repairs, StoredValues stored) {
  public TypeChoice(PgType type, EpochUnit epoch, String reason) {
    this(type, epoch, reason, 0, null);
  }

  /** The same choice, with what the column stores attached. */
  TypeChoice with(StoredValues values) {
    return new TypeChoice(type, epoch, reason, repairs, values);
  }
}
