package dev.ferry.plan;

/**
 * One DDL statement that runs after the data is loaded (constraint, index, foreign key, view). When
 * PostgreSQL rejects it the run records a note with the reason instead of failing.
 *
 * @param what for people: "PRIMARY KEY (id)", "index idx_tweets_created"
 * @param sql the statement
 * @param fallbackSql a weaker statement to try when {@code sql} fails (FOREIGN KEY … NOT VALID when
 *     orphans exist, UNIQUE when a primary key column holds NULL), or null
 * @param offendersSql a query listing what breaks the constraint (problem, count), run to explain a
 *     failure, or null
 */
public record DdlStep(String what, String sql, String fallbackSql, String offendersSql) {
  public DdlStep(String what, String sql, String fallbackSql) {
    this(what, sql, fallbackSql, null);
  }
}
