package dev.ferry.plan;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The limits PostgreSQL puts on a table that Ferry knows before asking it: at most 1,600 columns,
 * no empty names, names of at most 63 bytes (Names cuts longer ones; checked here so no later
 * change can slip one through). A plan that breaks one is refused before anything is promised or
 * written, naming the table and column, instead of failing at load (or passing a dry run).
 */
public final class PlanLimits {
  /** PostgreSQL's MaxHeapAttributeNumber. */
  static final int MAX_COLUMNS = 1600;

  private PlanLimits() {}

  /**
   * @throws FerryException USAGE listing every table and column PostgreSQL would refuse
   */
  public static void check(MigrationPlan plan) {
    List<String> problems = new ArrayList<>();
    for (TablePlan t : plan.tables()) {
      String table = "table " + (t.source().name().isEmpty() ? "\"\"" : t.source().name());
      name(problems, table, t.name());
      if (t.columns().size() > MAX_COLUMNS) {
        problems.add(
            String.format(
                "%s has %,d columns; PostgreSQL allows at most %,d per table (keep fewer with"
                    + " --only, or split the table before migrating)",
                table, t.columns().size(), MAX_COLUMNS));
      }
      for (int i = 0; i < t.columns().size(); i++) {
        ColumnPlan c = t.columns().get(i);
        name(
            problems,
            table + ", column " + (i + 1) + " (" + shown(c.source().name()) + ")",
            c.name());
      }
    }
    for (ViewPlan v : plan.views()) {
      name(problems, "view " + shown(v.sourceName()), v.name());
    }
    if (!problems.isEmpty()) {
      throw new FerryException(
          ErrorCode.USAGE,
          "PostgreSQL would refuse this plan; nothing was written:\n  "
              + String.join("\n  ", problems));
    }
  }

  private static void name(List<String> problems, String what, String name) {
    if (name.isEmpty()) {
      problems.add(
          what
              + ": the name is empty, which PostgreSQL cannot hold; rename it in the source"
              + " (ALTER TABLE … RENAME COLUMN \"\" TO …)");
    } else if (name.getBytes(StandardCharsets.UTF_8).length > Names.MAX_BYTES) {
      problems.add(what + ": the name " + name + " is longer than PostgreSQL's 63 bytes");
    }
  }

  private static String shown(String name) {
    return name.isEmpty() ? "\"\"" : name;
  }
}
