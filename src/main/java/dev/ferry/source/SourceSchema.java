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
 */
public record SourceSchema(
    Path file, List<SourceTable> tables, List<SourceView> views, List<String> triggers) {}
