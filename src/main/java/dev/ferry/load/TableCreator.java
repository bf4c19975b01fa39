package dev.ferry.load;

import dev.ferry.plan.ColumnPlan;
import dev.ferry.plan.Ddl;
import dev.ferry.plan.Note;
import dev.ferry.plan.TablePlan;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Creates a planned table in the load's transaction. Defaults and generation expressions go inline
 * when PostgreSQL takes them all; otherwise each is tried on its own, and what PostgreSQL rejects
 * becomes a note (a generated column is then loaded as a plain column with the stored values), so
 * one untranslatable expression never costs the table.
 */
final class TableCreator {
  /**
   * Columns planned to be taken from the doc ({@link ColumnPlan#fromDoc}) are created as generated
   * columns, which the COPY leaves out and the load makes ordinary after it ({@link TableLoader});
   * {@code -Dferry.load.fromDoc=false} sends them as read instead (for comparisons).
   */
  static boolean fromDoc() {
    return !"false".equals(System.getProperty("ferry.load.fromDoc"));
  }

  private TablePlan table;
  private final List<Note> notes = new ArrayList<>();

  TableCreator(TablePlan table) {
    this.table = table;
  }

  /** What was created weaker than planned. */
  List<Note> notes() {
    return notes;
  }

  /**
   * Creates the table with its defaults and generation expressions inline; when PostgreSQL rejects
   * one of them, creates it plain and adds each default on its own, noting the ones that fail, and
   * loads untranslatable generated columns as plain columns.
   */
  TablePlan create(Statement st) throws SQLException {
    st.execute("SAVEPOINT ferry_create");
    try {
      st.execute(Ddl.createTable(table, true, fromDoc()));
      st.execute("RELEASE SAVEPOINT ferry_create");
      return table;
    } catch (SQLException e) {
      st.execute("ROLLBACK TO SAVEPOINT ferry_create");
      st.execute("RELEASE SAVEPOINT ferry_create");
    }
    List<ColumnPlan> plain = new ArrayList<>();
    for (ColumnPlan col : table.columns()) {
      if (col.generatedSql() != null && !generatedWorks(st, col)) {
        notes.add(
            new Note(
                "column " + table.source().name() + "." + col.source().name(),
                "generation expression rejected by PostgreSQL: loaded as a plain column with the stored values"));
        plain.add(
            new ColumnPlan(
                col.source(),
                col.name(),
                col.choice(),
                col.notNull(),
                col.defaultSql(),
                null,
                col.identity(),
                col.fromDoc()));
      } else {
        plain.add(col);
      }
    }
    table =
        new TablePlan(
            table.source(),
            table.schema(),
            table.name(),
            plain,
            table.rowCount(),
            table.constraints(),
            table.foreignKeys(),
            table.identityRestart(),
            table.notes());
    st.execute(Ddl.createTable(withoutDefaults(table), true, fromDoc()));
    for (ColumnPlan col : table.columns()) {
      String sql = Ddl.setDefault(table, col);
      if (sql == null) {
        continue;
      }
      st.execute("SAVEPOINT ferry_default");
      try {
        st.execute(sql);
      } catch (SQLException e) {
        st.execute("ROLLBACK TO SAVEPOINT ferry_default");
        notes.add(
            new Note(
                "column " + table.source().name() + "." + col.source().name(),
                "DEFAULT "
                    + col.defaultSql()
                    + " rejected by PostgreSQL: "
                    + PostgresTarget.firstLine(e.getMessage())));
      }
      st.execute("RELEASE SAVEPOINT ferry_default");
    }
    return table;
  }

  private boolean generatedWorks(Statement st, ColumnPlan col) throws SQLException {
    TablePlan probe =
        new TablePlan(
            table.source(),
            table.schema(),
            table.name(),
            table.columns(),
            0,
            List.of(),
            List.of(),
            0,
            List.of());
    st.execute("SAVEPOINT ferry_probe");
    try {
      st.execute(Ddl.createTable(withoutDefaults(onlyGenerated(probe, col)), true, fromDoc()));
      return true;
    } catch (SQLException e) {
      return false;
    } finally {
      st.execute("ROLLBACK TO SAVEPOINT ferry_probe");
      st.execute("RELEASE SAVEPOINT ferry_probe");
    }
  }

  private static TablePlan onlyGenerated(TablePlan t, ColumnPlan keep) {
    List<ColumnPlan> cols =
        t.columns().stream()
            .map(
                c ->
                    c.equals(keep) || c.generatedSql() == null
                        ? c
                        : new ColumnPlan(
                            c.source(),
                            c.name(),
                            c.choice(),
                            c.notNull(),
                            c.defaultSql(),
                            null,
                            c.identity(),
                            c.fromDoc()))
            .toList();
    return new TablePlan(
        t.source(), t.schema(), t.name(), cols, 0, List.of(), List.of(), 0, List.of());
  }

  private static TablePlan withoutDefaults(TablePlan t) {
    List<ColumnPlan> cols =
        t.columns().stream()
            .map(
                c ->
                    new ColumnPlan(
                        c.source(),
                        c.name(),
                        c.choice(),
                        c.notNull(),
                        null,
                        c.generatedSql(),
                        c.identity(),
                        c.fromDoc()))
            .toList();
    return new TablePlan(
        t.source(),
        t.schema(),
        t.name(),
        cols,
        t.rowCount(),
        t.constraints(),
        t.foreignKeys(),
        t.identityRestart(),
        t.notes());
  }
}
