package dev.ferry.map;

import dev.ferry.value.CatalogType;

/**
 * One column of an existing target table, as its catalog declares it.
 *
 * @param name the column's name
 * @param type its declared type (domains, enums and arrays resolved)
 * @param notNull NOT NULL (directly or through a domain)
 * @param filledByServer a default, an identity or a generation expression fills it when no value is
 *     given
 * @param generated a generated column: it cannot be written
 */
public record TargetColumn(
    String name, CatalogType type, boolean notNull, boolean filledByServer, boolean generated) {}
