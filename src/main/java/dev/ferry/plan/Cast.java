package dev.ferry.plan;

/**
 * A column whose type the user chose: Ferry loads every value that converts and applies
 * --on-bad-value to those that do not (set aside, or stop).
 *
 * @param table source table
 * @param column source column
 * @param type the PostgreSQL type
 * @param line where in the config file it was written, for messages
 */
public record Cast(String table, String column, PgType type, int line) {}
