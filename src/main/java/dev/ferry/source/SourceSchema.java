package dev.ferry.source;

import java.nio.file.Path;
import java.util.List;

/**
 * Everything a source declares.
 *
 * @param file the source file
 * @param tables tables in source order
 * @param views views
 * @param triggers names of triggers (reported: PostgreSQL triggers are not generated)
 * @param virtualTables virtual tables (full-text ones with their own content are also tables)
 */
public record SourceSchema(
    Path file,
    List<SourceTable> tables,
    List<SourceView> views,
    List<String> triggers,
    List<SourceVirtualTable> virtualTables) {

  /** A schema without virtual tables. */
  public SourceSchema(
      Path file, List<SourceTable> tables, List<SourceView> views, List<String> triggers) {
    this(file, tables, views, triggers, List.of());
  }
}
