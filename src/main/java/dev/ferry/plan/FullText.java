package dev.ferry.plan;

import dev.ferry.source.SourceSchema;
import dev.ferry.source.SourceTable;
import dev.ferry.source.SourceVirtualTable;
import java.util.ArrayList;
import java.util.List;

/**
 * SQLite's virtual tables in PostgreSQL terms. A full-text table (fts3, fts4, fts5) is its content
 * plus a text-search index: one that holds its own content is carried as a table (rowid and its
 * columns), one with external content ({@code content='posts'}) is the content table already; both
 * get a {@code to_tsvector('simple', col)} GIN index per indexed column (the expression the
 * explorer's search and {@code @@} queries use). A contentless full-text table and every other
 * module (R*Tree, extensions) are listed as not carried, never dropped silently; their shadow
 * tables are storage, never copied as user data.
 */
final class FullText {
  private FullText() {}

  /** The GIN indexes the full-text tables of {@code schema} stand for, on included tables. */
  static List<ExtraIndex> indexes(SourceSchema schema, List<SourceTable> included) {
    List<ExtraIndex> out = new ArrayList<>();
    for (SourceVirtualTable v : schema.virtualTables()) {
      String on = target(v);
      SourceTable table =
          on == null
              ? null
              : included.stream()
                  .filter(t -> t.name().equalsIgnoreCase(on))
                  .findFirst()
                  .orElse(null);
      if (table == null) {
        continue;
      }
      for (String column : v.indexedColumns()) {
        if (table.column(column).isPresent()) {
          out.add(new ExtraIndex(table.name(), "fulltext", column, 0));
        }
      }
    }
    return out;
  }

  /** What became of each virtual table, for the report. */
  static List<Note> notes(SourceSchema schema, List<SourceTable> included, String textSearch) {
    List<Note> out = new ArrayList<>();
    for (SourceVirtualTable v : schema.virtualTables()) {
      String what = "virtual table " + v.name() + " (" + v.module() + ")";
      String on = target(v);
      boolean present =
          on != null && included.stream().anyMatch(t -> t.name().equalsIgnoreCase(on));
      if (!v.fullText()) {
        out.add(
            new Note(
                what,
                "not carried: only full-text virtual tables have a PostgreSQL counterpart here"
                    + " (an R*Tree or an extension's module needs that module to be read); its"
                    + " shadow tables are not copied as data"));
      } else if (on == null) {
        out.add(
            new Note(
                what,
                "not carried: a contentless full-text table keeps only its index, not the text"));
      } else if (present && v.carried()) {
        out.add(
            new Note(
                what,
                "carried as a table (rowid, "
                    + String.join(", ", v.columnArguments())
                    + ") with a to_tsvector('"
                    + textSearch
                    + "', column) GIN index per indexed column; MATCH"
                    + " queries become to_tsvector('"
                    + textSearch
                    + "', column) @@ websearch_to_tsquery(…)"));
      } else if (present) {
        out.add(
            new Note(
                what,
                "its content is table "
                    + on
                    + ": carried as to_tsvector('"
                    + textSearch
                    + "', column) GIN indexes on "
                    + String.join(", ", v.indexedColumns())));
      }
    }
    return out;
  }

  /** The table holding a full-text table's content: itself, its content= table, or null. */
  private static String target(SourceVirtualTable v) {
    if (!v.fullText()) {
      return null;
    }
    String content = v.option("content");
    if (content == null) {
      return v.name();
    }
    return content.isEmpty() ? null : content;
  }
}
