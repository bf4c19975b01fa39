package dev.ferry.plan;

import dev.ferry.source.SourceColumn;
import dev.ferry.source.SourceTable;
import dev.ferry.source.StoredRows;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The column profiles of staged tables, built while staging stores their rows (issue 12: "profile
 * while staging"): each value goes through the same {@link ColumnProfile} a pass over the staged
 * copy ({@link TableProfiler#profile}) would feed it, as SQLite stores it, in the order it is
 * stored (the order such a pass reads it), so {@link Planner#draft} takes a table's profile from
 * here instead of reading the table again. In memory, for the run that staged: a database staged
 * before (reused, resumed) or read from another file has nothing here and is profiled by a pass.
 *
 * <p>A profile is handed over only when it is exactly what the pass would build: the database's
 * staging completed ({@link StoredRows.Database#kept}), the file is the one kept then (same size
 * and modification time), the table was never reported changed, and every column the plan reads was
 * seen. Otherwise the plan reads the table as before.
 */
public final class StagedProfiles implements StoredRows {
  private final Map<Path, Seen> databases = new ConcurrentHashMap<>();

  @Override
  public Database database(Path db) {
    Seen seen = new Seen(db);
    databases.put(key(db), seen); // staged again: what an earlier staging saw is gone
    return seen;
  }

  /**
   * The full profile of {@code table} as staged into {@code db}, or null when a pass must read it.
   */
  TableProfiler.TableProfile profile(Path db, SourceTable table) {
    Seen seen = databases.get(key(db));
    return seen == null ? null : seen.profile(table);
  }

  private static Path key(Path db) {
    return db.toAbsolutePath().normalize();
  }

  /** What one staged database's tables stored. */
  private static final class Seen implements StoredRows.Database {
    private final Path db;
    private final Map<String, Watched> tables = new ConcurrentHashMap<>();
    private volatile String keptAs; // size and modification time once kept

    Seen(Path db) {
      this.db = db;
    }

    @Override
    public Table table(String name) {
      Watched w = new Watched();
      if (tables.putIfAbsent(name, w) != null) {
        tables.get(name).changed(); // two tables of one name: trust neither
      }
      return w;
    }

    @Override
    public void kept() {
      keptAs = identity(db);
    }

    TableProfiler.TableProfile profile(SourceTable table) {
      String kept = keptAs;
      Watched w = tables.get(table.name());
      if (kept == null || w == null || !kept.equals(identity(db))) {
        return null;
      }
      return w.profile(table.columns());
    }

    private static String identity(Path db) {
      try {
        return Files.size(db) + "@" + Files.getLastModifiedTime(db).toMillis();
      } catch (IOException e) {
        return null;
      }
    }
  }

  /** One staged table: a profile per column as it appeared, fed each stored row. */
  private static final class Watched implements StoredRows.Table {
    private final List<String> names = new ArrayList<>();
    private final List<ColumnProfile> columns = new ArrayList<>();
    private long rows;
    private boolean changed;

    @Override
    public synchronized void stored(List<String> rowColumns, Row row) {
      if (changed) {
        return;
      }
      int known = names.size();
      if (rowColumns.size() < known) {
        changed = true; // columns are only ever added: not a row of this table as seen so far
        return;
      }
      for (int i = known; i < rowColumns.size(); i++) {
        names.add(rowColumns.get(i));
        ColumnProfile p = new ColumnProfile();
        p.addNulls(rows); // the rows stored before the column was added hold NULL in it
        columns.add(p);
      }
      for (int i = 0; i < columns.size(); i++) {
        columns.get(i).add(row, i, row.plainJson(i));
      }
      rows++;
    }

    @Override
    public synchronized void changed() {
      changed = true;
    }

    /** Copies of the profiles of {@code wanted}, in its order; null if changed or one is unseen. */
    synchronized TableProfiler.TableProfile profile(List<SourceColumn> wanted) {
      if (changed) {
        return null;
      }
      List<ColumnProfile> out = new ArrayList<>();
      for (SourceColumn c : wanted) {
        int i = names.indexOf(c.name());
        if (i < 0 || names.lastIndexOf(c.name()) != i) {
          return null;
        }
        ColumnProfile copy = ColumnProfile.of(c);
        copy.merge(columns.get(i));
        out.add(copy);
      }
      return new TableProfiler.TableProfile(rows, List.copyOf(out));
    }
  }
}
