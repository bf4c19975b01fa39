package dev.ferry.plan;

import dev.ferry.source.RowCursor;
import dev.ferry.source.SourceColumn;
import dev.ferry.value.JsonText;
import java.util.List;

/**
 * The check a one-pass load runs over every row of a table whose types were chosen from a sample:
 * it profiles each value exactly as the full profiling pass would ({@link ColumnProfile}), and
 * whenever what a column stores changes in a way the choice depends on ({@link
 * ColumnProfile#shape}), decides that column again over the sample and the rows so far. A value
 * that changes the choice stops the load ({@link #add} is false); the table is then profiled in
 * full ({@link #widen}) and loaded again. At the end, the rows read are the whole table, so {@link
 * #finish} gives the table as the full profile plans it, and the load keeps what it loaded only
 * when that loads every column the same way ({@link #sameLoad}).
 */
public final class SampledTable {
  private final PlanDraft draft;
  private final TablePlan used;
  private final TableProfiler.TableProfile sample;
  private final List<Cast> casts;
  private final ColumnProfile[] seen;
  private final long[] shapes;
  private long rows;
  private final int width;
  private final boolean[] jsonByLoad;

  /** What {@link #mark} saw: the rows of the chunks committed so far. */
  private final ColumnProfile[] marked;

  private long markedRows;

  SampledTable(
      PlanDraft draft, TablePlan used, TableProfiler.TableProfile sample, List<Cast> casts) {
    this.draft = draft;
    this.used = used;
    this.sample = sample;
    this.casts = casts;
    this.width = used.source().columns().size();
    this.seen = new ColumnProfile[width];
    this.shapes = new long[width];
    this.jsonByLoad = new boolean[width];
    this.marked = new ColumnProfile[width];
    restart();
  }

  /**
   * For a load that hashes every row for the checksum: the hashing thread, which canonicalizes each
   * jsonb document anyway, makes the JSON check of each jsonb column planned without repairs, in
   * place of the profile's (see {@code ColumnProfile.jsonCheckedByLoad}). The load must then stop
   * at the first document that check rejects, and check itself the rows it does not hash ({@link
   * #jsonHolds}). Returns the columns (by position) whose check is left to the load. Called for
   * each chunk of a chunked load: the answer is the same every time (it depends on the plan only),
   * and the rows of the chunks before are kept.
   */
  public boolean[] leaveJsonCheckToLoad() {
    for (int i = 0; i < width; i++) {
      TypeChoice planned = used.columns().get(i).choice();
      jsonByLoad[i] =
          planned.type().kind() == PgType.Kind.JSONB
              && planned.repairs() == 0
              && used.loadedColumns().size() == width; // the load hashes the column it profiles
    }
    if (rows == 0) {
      restart(); // the profiles take the flag before their first value
    }
    return jsonByLoad.clone();
  }

  /**
   * The JSON check the profile left to the load, for a row the load does not hash (set aside):
   * false when a document in such a column is not plain JSON, so the profile may be wrong.
   */
  public boolean jsonHolds(RowCursor row) {
    for (int i = 0; i < width; i++) {
      if (jsonByLoad[i]
          && row.type(i) == RowCursor.TEXT
          && !used.source().columns().get(i).plainJson()) { // else staging proved it plain
        int kind = JsonText.classify(row.bytes(i));
        if (kind == JsonText.INVALID || (kind & JsonText.REPAIRABLE) != 0) {
          return false;
        }
      }
    }
    return true;
  }

  /** Forgets the rows added so far: the load starts again from the first row. */
  public void restart() {
    rows = 0;
    for (int i = 0; i < width; i++) {
      seen[i] = fresh(i);
      shapes[i] = seen[i].shape();
    }
    mark();
  }

  /**
   * Remembers the rows added so far: a chunked load marks before each chunk, so that a chunk tried
   * again (its transaction lost with the connection) is not counted twice ({@link #rewind}).
   */
  public void mark() {
    markedRows = rows;
    for (int i = 0; i < width; i++) {
      marked[i] = new ColumnProfile();
      marked[i].merge(seen[i]);
    }
  }

  /** Forgets the rows added since the last {@link #mark}: the chunk is read again. */
  public void rewind() {
    rows = markedRows;
    for (int i = 0; i < width; i++) {
      seen[i] = fresh(i);
      seen[i].merge(marked[i]);
      shapes[i] = seen[i].shape();
    }
  }

  /** An empty profile of column {@code i}, with what the load checks in its place. */
  private ColumnProfile fresh(int i) {
    ColumnProfile p = ColumnProfile.of(used.source().columns().get(i));
    TypeChoice planned = used.columns().get(i).choice();
    if (planned.type().kind() == PgType.Kind.TIMESTAMPTZ
        && planned.repairs() == 0
        && used.loadedColumns().size() == width) { // the load encodes the column it profiles
      p.timestampsParsedByLoad(); // the load's encoder parses each one (and stops at a bad one)
    }
    if (jsonByLoad[i]) {
      p.jsonCheckedByLoad();
    }
    return p;
  }

  /**
   * Profiles the cursor's current row (every column of the table, in the table's order). False when
   * a value makes the sampled choice of its column wrong: the load must stop.
   */
  public boolean add(RowCursor row) {
    rows++;
    boolean fits = true;
    for (int i = 0; i < seen.length; i++) {
      ColumnProfile p = seen[i];
      if (!p.add(row, i)) {
        continue; // the shape is as it was: nothing the choice depends on moved
      }
      long shape = p.shape();
      if (shape != shapes[i]) {
        shapes[i] = shape;
        fits &= holds(i);
      }
    }
    return fits;
  }

  /** The sampled choice of column {@code i} still stands over the sample and the rows so far. */
  private boolean holds(int i) {
    ColumnProfile both = new ColumnProfile();
    both.merge(sample.columns().get(i));
    both.merge(seen[i]);
    SourceColumn column = used.source().columns().get(i);
    return sameEncoding(TableDesigner.choice(column, both, casts), used.columns().get(i).choice());
  }

  /** The table as planned from the full profile the load gathered (every row has been added). */
  public TablePlan finish() {
    return draft.profiled(used.source(), new TableProfiler.TableProfile(rows, List.of(seen)));
  }

  /** The table as planned from a full profiling pass over it, for a load that stopped early. */
  public TablePlan widen() {
    return draft.profiled(used.source(), draft.profileFully(used.source()));
  }

  /**
   * True when rows loaded under plan {@code a} are exactly what plan {@code b} loads: the same
   * table and columns, each with the same type, epoch unit, repair checks, default and generation.
   */
  public static boolean sameLoad(TablePlan a, TablePlan b) {
    return loading(a).equals(loading(b)); // one definition, also recorded with each chunk
  }

  /**
   * What {@link #sameLoad} compares, as one text: two plans of a table load its rows the same way
   * exactly when their texts are equal. Recorded with each committed chunk, so that a resumed run
   * can tell whether the chunks it keeps were loaded as its own plan loads them.
   */
  public static String loading(TablePlan t) {
    StringBuilder out = new StringBuilder();
    field(out, t.name());
    for (ColumnPlan c : t.columns()) {
      field(out, c.name());
      field(out, c.choice().type().kind() + "(" + c.choice().type().length() + ")");
      field(out, String.valueOf(c.choice().epoch()));
      field(out, c.choice().repairs() > 0 ? "repairs" : "as is");
      field(out, c.notNull() ? "not null" : "null");
      field(out, c.identity() ? "identity" : "");
      field(out, String.valueOf(c.defaultSql()));
      field(out, String.valueOf(c.generatedSql()));
    }
    return out.toString();
  }

  /** Appends {@code s} length first, so that no text can pass for two fields. */
  private static void field(StringBuilder out, String s) {
    out.append(s.length()).append(':').append(s).append(';');
  }

  private static boolean sameEncoding(TypeChoice a, TypeChoice b) {
    return a.type().equals(b.type())
        && a.epoch() == b.epoch()
        && (a.repairs() > 0) == (b.repairs() > 0);
  }
}
