package dev.ferry.plan;

/**
 * The PostgreSQL type chosen for a column and why.
 *
 * @param type the type
 * @param epoch how stored integers become instants, for date/time types
 * @param reason one line for people: what was declared, what is stored, what follows
 */
public record TypeChoice(PgType type, EpochUnit epoch, String reason) {}
