package dev.ferry.source.sqlite;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The change capture {@code ferry sync start} installs in an application's SQLite file (sync's
 * {@code Capture}): the tables {@code _ferry_changes}, {@code _ferry_guard} and {@code _ferry_sync}
 * and the {@code _ferry_…} triggers that consult the guard. They are Ferry's, not the
 * application's, so a migration leaves them out, and says so. Only a file holding {@code
 * _ferry_sync} has a capture; in any other file a table named {@code _ferry_…} is the user's.
 */
final class SyncCapture {
  static final SyncCapture NONE = new SyncCapture(false);

  private static final List<String> TABLES =
      List.of("_ferry_changes", "_ferry_guard", "_ferry_sync");

  private final boolean installed;
  private final List<String> tables = new ArrayList<>();
  private int triggers;

  private SyncCapture(boolean installed) {
    this.installed = installed;
  }

  static SyncCapture find(Connection c) throws SQLException {
    try (Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_ferry_sync'")) {
      return new SyncCapture(rs.next());
    }
  }

  /** True (and counted) when the sqlite_master entry is part of the capture. */
  boolean holds(String type, String name, String sql) {
    if (!installed || !name.startsWith("_ferry_")) {
      return false;
    }
    if (type.equals("table") && TABLES.contains(name)) {
      tables.add(name);
      return true;
    }
    if (type.equals("trigger") && sql != null && sql.contains("_ferry_guard")) {
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
