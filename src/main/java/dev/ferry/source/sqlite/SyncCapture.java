package dev.ferry.source.sqlite;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The one definition of the change capture {@code ferry sync start} installs in an application's
 * SQLite file (sync's {@code Capture} builds it from here and removes what this recognizes): the
 * tables {@code _ferry_changes}, {@code _ferry_guard} and {@code _ferry_sync}, and the triggers
 * named {@code _ferry_<table>_<kind>} ({@link #triggerName}) that consult the guard. They are
 * Ferry's, not the application's, so a migration leaves them out, and says so, and {@code ferry
 * sync stop} removes exactly them. Only a file holding {@code _ferry_sync} has a capture; in any
 * other file a table named {@code _ferry_…} is the user's, and so is, in every file, a {@code
 * _ferry_…} trigger of any other name or one that does not read the guard.
 */
public final class SyncCapture {
  static final SyncCapture NONE = new SyncCapture(false);

  /**
   * The capture's tables: the changelog, the guard and the state (its presence marks a capture).
   */
  public static final List<String> TABLES =
      List.of("_ferry_changes", "_ferry_guard", "_ferry_sync");

  private static final String STATE = "_ferry_sync";
  private static final String GUARD = "_ferry_guard";

  /** The kinds of trigger the capture installs: logging writes, displaced rows, refusals. */
  private static final Set<String> TRIGGER_KINDS =
      Set.of(
          "ins", "upd", "del", "rins", "rupd", "refuse_insert", "refuse_update", "refuse_delete");

  private final boolean installed;
  private final List<String> tables = new ArrayList<>();
  private int triggers;

  private SyncCapture(boolean installed) {
    this.installed = installed;
  }

  /** The name of the capture's trigger of {@code kind} on {@code table}. */
  public static String triggerName(String table, String kind) {
    if (!TRIGGER_KINDS.contains(kind)) {
      throw new IllegalArgumentException("not a kind of capture trigger: " + kind);
    }
    return "_ferry_" + table + "_" + kind;
  }

  /**
   * Every name the capture may give a trigger on {@code table} (installing it, or at a cutover).
   */
  public static List<String> triggerNames(String table) {
    return TRIGGER_KINDS.stream().sorted().map(kind -> triggerName(table, kind)).toList();
  }

  /** The capture of the file {@code c} is open on ({@link #installed} false when it has none). */
  public static SyncCapture find(Connection c) throws SQLException {
    try (Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '" + STATE + "'")) {
      return new SyncCapture(rs.next());
    }
  }

  /** True when the file holds a capture (its state table). */
  public boolean installed() {
    return installed;
  }

  /**
   * True (and counted) when the sqlite_master entry is part of the capture: one of its tables by
   * exact name, or a trigger named as the capture names its triggers ({@code _ferry_…_<kind>}: not
   * the table's name, which a rename changes while the trigger's stays) whose SQL reads the guard.
   */
  public boolean holds(String type, String name, String sql) {
    if (!installed || !name.startsWith("_ferry_")) {
      return false;
    }
    if (type.equals("table") && TABLES.contains(name)) {
      tables.add(name);
      return true;
    }
    if (type.equals("trigger")
        && sql != null
        && sql.contains(GUARD)
        && TRIGGER_KINDS.stream().anyMatch(kind -> name.endsWith("_" + kind))) {
      triggers++;
      return true;
    }
    return false;
  }

  /** What was left out, with why (empty without a capture). */
  Map<String, String> leftOut() {
    Map<String, String> out = new LinkedHashMap<>();
    if (!tables.isEmpty() || triggers > 0) {
      out.put(
          "ferry sync's change capture",
          "not migrated: "
              + (tables.isEmpty() ? "" : "tables " + String.join(", ", tables))
              + (tables.isEmpty() || triggers == 0 ? "" : " and ")
              + (triggers == 0 ? "" : triggers + " _ferry_ triggers")
              + " are Ferry's own (installed by ferry sync start, removed by ferry sync stop)");
    }
    return out;
  }
}
