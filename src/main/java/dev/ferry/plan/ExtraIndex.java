package dev.ferry.plan;

/**
 * An index the source does not have, asked for in ferry.yaml {@code indexes:}, built after the data
 * like the source's own:
 *
 * <pre>
 * indexes:
 *   tweet_cache:
 *     - gin: doc                          # GIN (jsonb_path_ops) for @> containment
 *     - trigram: content_data->>'text'    # pg_trgm: ILIKE '%…%' uses it
 *     - fulltext: content_data->>'text'   # to_tsvector('simple', …): @@ queries use it
 *     - btree: created_at
 * </pre>
 *
 * @param table the target table (as named in the target)
 * @param kind gin, trigram, fulltext or btree
 * @param expression a column or a PostgreSQL expression over the table's columns
 * @param line where ferry.yaml says so
 */
public record ExtraIndex(String table, String kind, String expression, int line) {
  public static final java.util.List<String> KINDS =
      java.util.List.of("gin", "trigram", "fulltext", "btree");
}
