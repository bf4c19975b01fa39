package dev.ferry.source;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Everything a source declares.
 *
 * @param file the source file
 * @param tables tables in source order
 * @param views views
 * @param triggers names of triggers (reported: PostgreSQL triggers are not generated)
 * @param virtualTables virtual tables (full-text ones with their own content are also tables)
 * @param leftOut objects of the file the source did not read because they are Ferry's own (the
 *     change capture of {@code ferry sync}), each with why: reported, so nothing leaves silently
 */
public record SourceSchema(
    Path file,
    List<SourceTable> tables,
    List<SourceView> views,
    List<String> triggers,
    List<SourceVirtualTable> virtualTables,
    Map<String, String> leftOut) {

  /** A schema without virtual tables. */
  public SourceSchema(
      Path file, List<SourceTable> tables, List<SourceView> views, List<String> triggers) {
    this(file, tables, views, triggers, List.of(), Map.of());
  }

  /** A schema with nothing left out. */
  public SourceSchema(
      Path file,
      List<SourceTable> tables,
      List<SourceView> views,
      List<String> triggers,
      List<SourceVirtualTable> virtualTables) {
    this(file, tables, views, triggers, virtualTables, Map.of());
  }
}
