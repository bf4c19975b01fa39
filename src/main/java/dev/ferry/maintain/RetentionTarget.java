package dev.ferry.maintain;

import java.util.List;

/**
 * A retention rule checked against the target's catalog: the table exists, has a primary key (so
 * every deleted row can be named in ferry.audit and put back), and its column has a time type.
 *
 * @param type the column's base type: timestamptz, timestamp or date
 */
record RetentionTarget(
    RetentionRule rule, String schema, String table, String column, String type, List<String> key) {
  String label() {
    return schema + "." + table;
  }
}
