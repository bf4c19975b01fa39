package dev.ferry.plan;

import java.nio.file.Path;
import java.util.List;

/**
 * The complete plan for one source: what the target will look like and every choice made.
 *
 * @param source the source file
 * @param schema target schema
 * @param tables tables in load order (largest first)
 * @param views views
 * @param notes notes not tied to one table (triggers, views)
 */
public record MigrationPlan(
    Path source, String schema, List<TablePlan> tables, List<ViewPlan> views, List<Note> notes) {}
