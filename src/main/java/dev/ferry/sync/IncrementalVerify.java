package dev.ferry.sync;

import static dev.ferry.sql.SqlText.ident;

import dev.ferry.load.PostgresTarget;
import dev.ferry.load.RowEncoder;
import dev.ferry.plan.ColumnPlan;
import dev.ferry.plan.PgType;
import dev.ferry.plan.TablePlan;
import dev.ferry.value.BadValuePolicy;
import dev.ferry.verify.Verifier;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Cutover's verification, done mostly before the freeze (docs/SYNC.md, "Incremental verification"):
 *
 * <ol>
 *   <li>{@link #pass}: with the changelog's pruning held at a mark M (every change applied up to
 *       M), every row is compared by key in short chunks: SQLite's row encoded and hashed as the
 *       load did ({@code RowEncoder}), PostgreSQL's hashed by the server ({@code
 *       Verifier.keyedHashesSql}). A key that differs goes into the recheck set.
 *   <li>{@link #catchUp}: the keys changed since the mark plus the recheck set are compared again,
 *       and the mark moves on, so the freeze has little left.
 *   <li>{@link #inFreeze} (writes frozen, everything applied): the recheck set plus every key the
 *       changelog logged after the mark are compared, and each table's count on both sides.
 * </ol>
 *
 * <p>Why that is enough: a key not logged after the mark had the same SQLite row since the mark,
 * and its PostgreSQL row is only ever written by applying a logged change of it, so the pass's
 * comparison still holds at the freeze. Every key SQLite holds at the freeze is thus shown present
 * and equal in PostgreSQL; equal counts then leave PostgreSQL no other rows. Tables whose key
 * cannot be looked up by its SQLite literal (key types other than integers and text, or a NULL in a
 * key) are checked whole in the freeze (count and checksum, as before). Rows set aside by {@code
 * --on-bad-value} are expected absent in PostgreSQL, by key and in the counts.
 */
final class IncrementalVerify {
  private static final int CHUNK = 2000;
  private static final int LOOKUP = 500;
  private static final Pattern LITERAL =
      Pattern.compile("NULL|-?[0-9][0-9.eE+-]*|'(?:[^']|'')*'|X'[0-9A-Fa-f]*'");

  private final Connection lite;
  private final PostgresTarget target;
  private final Path file;
  private final BadValuePolicy policy;
  private final Map<String, TablePlan> byKey = new LinkedHashMap<>();
  private final List<TablePlan> whole = new ArrayList<>();
  private final Map<String, Set<String>> recheck = new HashMap<>();
  private final Map<String, Set<String>> setAside = new HashMap<>();
  private long mark;
  private long compared;
  private double msPerKey = 0.05;
  private long wholeMs;
  private long countMs;

  IncrementalVerify(
      Connection lite,
      PostgresTarget target,
      Path file,
      List<TablePlan> tables,
      BadValuePolicy policy) {
    this.lite = lite;
    this.target = target;
    this.file = file;
    this.policy = policy;
    for (TablePlan t : tables) {
      if (lookable(t)) {
        byKey.put(t.source().name(), t);
      } else {
        whole.add(t);
      }
    }
  }

  /** A key PostgreSQL finds by the SQLite literal of each column: integers and text. */
  private static boolean lookable(TablePlan t) {
    int[] key = new RowEncoder(t, BadValuePolicy.FAIL).keyPositions();
    if (key.length == 0) {
      return false;
    }
    for (int p : key) {
      PgType.Kind k = t.loadedColumns().get(p).type().kind();
      if (!List.of(
              PgType.Kind.SMALLINT,
              PgType.Kind.INTEGER,
              PgType.Kind.BIGINT,
              PgType.Kind.TEXT,
              PgType.Kind.VARCHAR)
          .contains(k)) {
        return false;
      }
    }
    return true;
  }

  /** Compares every row by key, chunk by chunk; {@code mark}: every change up to it is applied. */
  void pass(long mark) throws SQLException {
    this.mark = mark;
    long t0 = System.nanoTime();
    for (TablePlan t : List.copyOf(byKey.values())) {
      String after = null;
      while (true) {
        HeldRows rows = HeldRows.range(lite, t, after, CHUNK);
        if (rows.size() == 0) {
          break;
        }
        List<String> keys = compare(t, rows, null);
        if (keys == null) {
          break; // moved to the whole-table check
        }
        compared += rows.size();
        after = rows.lastKey();
      }
    }
    msPerKey = Math.max(msPerKey, (System.nanoTime() - t0) / 1e6 / Math.max(1, compared));
    long t1 = System.nanoTime();
    wholeTables(); // timed only: the freeze checks them again, and decides
    wholeMs = (System.nanoTime() - t1) / 1_000_000;
    long t2 = System.nanoTime();
    counts();
    countMs = (System.nanoTime() - t2) / 1_000_000;
  }

  /**
   * Compares again the keys changed after the mark (up to {@code upTo}, all applied) and the
   * recheck set; the mark moves to {@code upTo}. Returns how many keys it compared.
   */
  int catchUp(long upTo) throws SQLException {
    Map<String, Set<String>> keys = pending(upTo);
    long t0 = System.nanoTime();
    int n = recheckAll(keys);
    if (n > 0) {
      msPerKey = Math.max(0.01, (System.nanoTime() - t0) / 1e6 / n);
    }
    mark = upTo;
    return n;
  }

  long mark() {
    return mark;
  }

  long compared() {
    return compared;
  }

  /** How long {@link #inFreeze} should take with what is pending now, in ms. */
  long estimateMs() throws SQLException {
    long keys = recheck.values().stream().mapToLong(Set::size).sum();
    try (PreparedStatement ps =
        lite.prepareStatement("SELECT count(*) FROM _ferry_changes WHERE seq > ?")) {
      ps.setLong(1, mark);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        keys += rs.getLong(1);
      }
    }
    // at least 1 ms: a freeze is never free (a budget of 1 ms freezes nothing)
    return Math.max(1, countMs + wholeMs + (long) Math.ceil(keys * msPerKey));
  }

  /** Keys pending now: the recheck set and the changelog's keys in (mark, upTo]. */
  long pendingKeys() throws SQLException {
    return pending(Long.MAX_VALUE).values().stream().mapToLong(Set::size).sum();
  }

  /**
   * In the freeze, everything applied: the recheck set and every key logged after the mark, each
   * table's count, the whole-table checks. Returns the differences, described (empty: equal).
   */
  List<String> inFreeze(int[] rechecked) throws SQLException {
    List<String> differ = new ArrayList<>();
    if (!Capture.keptSince(lite, mark)) {
      differ.add(
          "the changelog was pruned past the verification mark (it expired): run cutover again");
      return differ;
    }
    Map<String, Set<String>> keys = pending(Long.MAX_VALUE);
    rechecked[0] = recheckAll(keys);
    for (Map.Entry<String, Set<String>> e : recheck.entrySet()) {
      if (!e.getValue().isEmpty()) {
        List<String> shown = e.getValue().stream().limit(5).toList();
        differ.add(
            e.getKey()
                + ": "
                + e.getValue().size()
                + (e.getValue().size() == 1 ? " row differs" : " rows differ")
                + " (key "
                + String.join("; key ", shown)
                + (e.getValue().size() > shown.size() ? "; …" : "")
                + ")");
      }
    }
    differ.addAll(counts());
    differ.addAll(wholeTables());
    return differ;
  }

  private Map<String, Set<String>> pending(long upTo) throws SQLException {
    Map<String, Set<String>> keys = new LinkedHashMap<>();
    recheck.forEach((t, k) -> keys.computeIfAbsent(t, x -> new LinkedHashSet<>()).addAll(k));
    try (PreparedStatement ps =
        lite.prepareStatement(
            "SELECT tbl, key, old_key FROM _ferry_changes WHERE seq > ? AND seq <= ?")) {
      ps.setLong(1, mark);
      ps.setLong(2, upTo);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          String table = rs.getString(1);
          if (!byKey.containsKey(table)) {
            continue; // kept in SQLite, or checked whole
          }
          Set<String> k = keys.computeIfAbsent(table, x -> new LinkedHashSet<>());
          for (String key : new String[] {rs.getString(2), rs.getString(3)}) {
            if (key != null && hasNull(key)) {
              // a NULL in a key matches nothing by key on either side: the row could never be
              // compared, only counted, so the table is checked whole
              whole.add(byKey.remove(table));
              recheck.remove(table);
              keys.remove(table);
              break;
            } else if (key != null) {
              k.add(key);
            }
          }
        }
      }
    }
    return keys;
  }

  /** Re-reads {@code keys} on both sides; the recheck set becomes the keys that still differ. */
  private int recheckAll(Map<String, Set<String>> keys) throws SQLException {
    int n = 0;
    for (Map.Entry<String, Set<String>> e : keys.entrySet()) {
      TablePlan t = byKey.get(e.getKey());
      if (t == null) {
        continue; // checked whole
      }
      recheck.remove(e.getKey());
      Set<String> aside = setAside.computeIfAbsent(e.getKey(), x -> new LinkedHashSet<>());
      aside.removeAll(e.getValue());
      List<String> all = new ArrayList<>(e.getValue());
      for (int i = 0; i < all.size(); i += LOOKUP) {
        List<String> part = all.subList(i, Math.min(all.size(), i + LOOKUP));
        if (compare(t, HeldRows.byKeys(lite, t, part), part) == null) {
          break; // checked whole from now on
        }
      }
      n += all.size();
    }
    return n;
  }

  /**
   * Compares SQLite's {@code rows} with PostgreSQL's rows under the same keys ({@code asked}: the
   * keys looked up, some maybe absent in SQLite; null: the rows' own keys). Keys that differ go
   * into the recheck set. Returns null when the table cannot be compared by key after all (a NULL
   * in its key): it is then checked whole in the freeze.
   */
  private List<String> compare(TablePlan t, HeldRows rows, List<String> asked) throws SQLException {
    String table = t.source().name();
    RowEncoder encoder = new RowEncoder(t, policy);
    int[] key = encoder.keyPositions();
    Map<String, Long> lite = new HashMap<>();
    Map<String, String> keyOf = new HashMap<>();
    Set<String> aside = setAside.computeIfAbsent(table, x -> new LinkedHashSet<>());
    Set<String> absent = asked == null ? new LinkedHashSet<>() : new LinkedHashSet<>(asked);
    List<String> keys = new ArrayList<>();
    while (rows.next()) {
      String k = rows.key();
      if (k == null) {
        byKey.remove(table);
        whole.add(t);
        recheck.remove(table);
        return null;
      }
      keys.add(k);
      absent.remove(k);
      if (encoder.encode(rows)) {
        String h = encoder.keyHash(key);
        lite.put(h, encoder.hash());
        keyOf.put(h, k);
      } else {
        aside.add(k); // set aside: not expected in PostgreSQL
      }
    }
    List<String> lookup = new ArrayList<>(keys);
    lookup.addAll(absent);
    Set<String> differ = new LinkedHashSet<>();
    boolean unmatched = false;
    Map<String, Long> pg = target(t, lookup);
    for (Map.Entry<String, Long> e : pg.entrySet()) {
      Long mine = lite.get(e.getKey());
      if (mine == null) {
        unmatched = true;
      } else if (!mine.equals(e.getValue())) {
        differ.add(keyOf.get(e.getKey()));
      }
    }
    lite.forEach(
        (h, v) -> {
          if (!pg.containsKey(h)) {
            differ.add(keyOf.get(h));
          }
        });
    if (unmatched) {
      // a row PostgreSQL holds that SQLite has not, or has set aside (or a key encoded otherwise):
      // it is one of those keys; when there are none, any of the keys looked up
      Set<String> candidates = new LinkedHashSet<>(absent);
      keys.stream().filter(aside::contains).forEach(candidates::add);
      differ.addAll(candidates.isEmpty() ? lookup : candidates);
    }
    if (!differ.isEmpty()) {
      recheck.computeIfAbsent(table, x -> new LinkedHashSet<>()).addAll(differ);
    }
    return keys;
  }

  /** PostgreSQL's (key hash → row hash) under the given capture-form keys. */
  private Map<String, Long> target(TablePlan t, List<String> keys) throws SQLException {
    Map<String, Long> out = new HashMap<>();
    if (keys.isEmpty()) {
      return out;
    }
    int[] key = new RowEncoder(t, BadValuePolicy.FAIL).keyPositions();
    List<ColumnPlan> columns = new ArrayList<>();
    for (int p : key) {
      columns.add(t.loadedColumns().get(p));
    }
    String where =
        "("
            + columns.stream().map(c -> ident(c.name())).collect(Collectors.joining(", "))
            + ") IN ("
            + keys.stream().map(k -> "(" + pgLiterals(k, columns) + ")").collect(joinComma())
            + ")";
    try (Connection c = target.dataSource().getConnection();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(Verifier.keyedHashesSql(t, where))) {
      while (rs.next()) {
        out.put(rs.getString(1), rs.getLong(2));
      }
    }
    return out;
  }

  private static java.util.stream.Collector<CharSequence, ?, String> joinComma() {
    return Collectors.joining(", ");
  }

  /** Whether a capture-form key holds a NULL literal. */
  static boolean hasNull(String key) {
    Matcher m = LITERAL.matcher(Applier.checked(key));
    while (m.find()) {
      if (m.group().equals("NULL")) {
        return true;
      }
    }
    return false;
  }

  /**
   * A capture-form key (SQLite literals) as PostgreSQL literals of the key columns: the same text
   * for integers and strings; a number in a text column is quoted; NULL and blobs match nothing.
   */
  static String pgLiterals(String key, List<ColumnPlan> columns) {
    Matcher m = LITERAL.matcher(Applier.checked(key));
    List<String> parts = new ArrayList<>();
    int i = 0;
    while (m.find()) {
      String v = m.group();
      ColumnPlan c = columns.get(Math.min(i++, columns.size() - 1));
      boolean text = c.type().kind() == PgType.Kind.TEXT || c.type().kind() == PgType.Kind.VARCHAR;
      if (v.equals("NULL") || v.startsWith("X'")) {
        parts.add("NULL");
      } else if (v.startsWith("'") || !text) {
        parts.add(v);
      } else {
        parts.add("'" + v + "'");
      }
    }
    return String.join(", ", parts);
  }

  /** Tables whose count differs between the sides (rows set aside are not expected). */
  private List<String> counts() throws SQLException {
    List<String> differ = new ArrayList<>();
    for (TablePlan t : byKey.values()) {
      long sqlite;
      try (Statement st = lite.createStatement();
          ResultSet rs = st.executeQuery("SELECT count(*) FROM main." + ident(t.source().name()))) {
        rs.next();
        sqlite = rs.getLong(1);
      }
      long pg;
      try (Connection c = target.dataSource().getConnection();
          Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("SELECT count(*) FROM " + t.qualified())) {
        rs.next();
        pg = rs.getLong(1);
      }
      long aside = setAside.getOrDefault(t.source().name(), Set.of()).size();
      if (sqlite - aside != pg) {
        differ.add(
            t.source().name()
                + ": SQLite "
                + sqlite
                + " rows"
                + (aside > 0 ? " (" + aside + " set aside)" : "")
                + ", PostgreSQL "
                + pg);
      }
    }
    return differ;
  }

  /** The tables checked whole: count and checksum on both sides, as {@code migrate} verifies. */
  private List<String> wholeTables() {
    return whole.isEmpty() ? new ArrayList<>() : Cutover.verify(file, policy, target, whole);
  }
}
