package dev.ferry.load;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.plan.Ddl;
import dev.ferry.plan.DdlStep;
import dev.ferry.plan.MigrationPlan;
import dev.ferry.plan.TablePlan;
import dev.ferry.plan.ViewPlan;
import dev.ferry.postgres.SqlStates;
import dev.ferry.postgres.TargetUrl;
import dev.ferry.sql.SqlText;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * A dry run asks PostgreSQL before promising a plan: the plan's DDL (schema, tables, keys and
 * indexes, foreign keys, views) runs in one transaction that is rolled back, each statement under a
 * savepoint. A table PostgreSQL refuses even in its plain form would fail the load, so the dry run
 * refuses it (exit 1, naming the table and PostgreSQL's reason); a key, index or view it refuses is
 * what the run would report under "Not carried exactly", and is listed. Objects that exist already
 * are no problem of the plan's ({@code --if-exists} decides about them).
 */
public final class DdlRehearsal {
  private final List<String> refused = new ArrayList<>();
  private final List<String> weakened = new ArrayList<>();

  private DdlRehearsal() {}

  /**
   * Rehearses {@code plan} on {@code url}; nothing to say when there is no target to ask (a dry run
   * never starts the embedded server; {@code PlanLimits} has checked what Ferry knows).
   *
   * @return what the run would note (keys, indexes or views PostgreSQL refuses), possibly empty
   * @throws FerryException USAGE naming every table PostgreSQL refuses; TARGET_UNREACHABLE
   */
  public static List<String> check(TargetUrl url, MigrationPlan plan) {
    if (url == null) {
      return List.of();
    }
    try (Connection c = java.sql.DriverManager.getConnection(url.jdbcUrl(), url.properties())) {
      try (java.sql.Statement st = c.createStatement()) {
        st.execute(dev.ferry.sql.SqlText.SESSION_SETUP);
      }
      c.setAutoCommit(false);
      DdlRehearsal r = new DdlRehearsal();
      try {
        r.rehearse(c, plan);
      } finally {
        c.rollback();
      }
      if (!r.refused.isEmpty()) {
        throw new FerryException(
            ErrorCode.USAGE,
            url.display()
                + " refuses this plan (checked in a transaction that was rolled back; nothing"
                + " was written):\n  "
                + String.join("\n  ", r.refused));
      }
      return r.weakened;
    } catch (SQLException e) {
      throw new FerryException(
          SqlStates.connectionLost(e) || SqlStates.of(e) == SqlStates.Kind.ACCESS_DENIED
              ? ErrorCode.TARGET_UNREACHABLE
              : ErrorCode.INTERNAL,
          "cannot check the plan on "
              + url.display()
              + ": "
              + PostgresTarget.firstLine(e.getMessage()),
          e);
    }
  }

  private void rehearse(Connection c, MigrationPlan plan) throws SQLException {
    try (Statement st = c.createStatement()) {
      String schema = "CREATE SCHEMA IF NOT EXISTS " + SqlText.ident(plan.schema());
      if (attempt(c, st, schema) != null) {
        refused.add("schema " + plan.schema() + ": " + attempt(c, st, schema));
        return;
      }
      for (TablePlan t : plan.tables()) {
        String why = attempt(c, st, Ddl.createTable(t, true));
        if (why != null && attempt(c, st, Ddl.createTable(t, false)) != null) {
          refused.add("table " + t.source().name() + ": " + why);
          continue;
        }
        for (DdlStep step : t.constraints()) {
          note(c, st, "table " + t.source().name() + ", " + step.what(), step);
        }
      }
      for (TablePlan t : plan.tables()) {
        for (DdlStep step : t.foreignKeys()) {
          note(c, st, "table " + t.source().name() + ", " + step.what(), step);
        }
      }
      for (ViewPlan v : plan.views()) {
        if (v.sql() != null) {
          String why = attempt(c, st, v.sql());
          if (why != null) {
            weakened.add("view " + v.sourceName() + ": would not be created: " + why);
          }
        }
      }
    }
  }

  private void note(Connection c, Statement st, String what, DdlStep step) throws SQLException {
    String why = attempt(c, st, step.sql());
    if (why != null && (step.fallbackSql() == null || attempt(c, st, step.fallbackSql()) != null)) {
      weakened.add(what + ": would not be created: " + why);
    }
  }

  /** Runs one statement under a savepoint: null when PostgreSQL accepts it, else its reason. */
  private static String attempt(Connection c, Statement st, String sql) throws SQLException {
    Savepoint sp = c.setSavepoint();
    try {
      st.execute(sql);
      c.releaseSavepoint(sp);
      return null;
    } catch (SQLException e) {
      c.rollback(sp);
      if (SqlStates.connectionLost(e)) {
        throw e;
      }
      if (SqlStates.of(e) == SqlStates.Kind.ALREADY_EXISTS) {
        return null;
      }
      return PostgresTarget.firstLine(e.getMessage()).replaceFirst("^ERROR: ", "");
    }
  }
}
