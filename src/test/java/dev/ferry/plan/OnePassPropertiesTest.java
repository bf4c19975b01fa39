package dev.ferry.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.postgres.TargetUrl;
import dev.ferry.source.RowCursor;
import dev.ferry.source.SourceSchema;
import dev.ferry.source.SourceTable;
import dev.ferry.source.sqlite.SqliteSource;
import dev.ferry.testing.Ferry;
import dev.ferry.testing.Sqlite;
import dev.ferry.testing.TestPostgres;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The one-pass plan (types from a sample, every value checked while it loads, a table loaded again
 * when a value does not fit) against the full profiling pass as the oracle. Over generated tables
 * whose columns mostly hold one kind of value with strays anywhere (in the sample or after it):
 * hostile texts, mixed storage classes, integers at the boundaries of smallint, 2^53 and epoch
 * units, JSON and not quite JSON, dates and timestamps, values that need repair. The sample is tiny
 * (a few rows), so most strays are found only while loading.
 */
class OnePassPropertiesTest {
  /** Sample tables of 10 rowids and more: 3 rows from the start, then 2 runs of 2 rows. */
  private static final String TINY_SAMPLE = "sample:10,3,2,2";

  private static final List<String> DECLARED =
      List.of(
          "INTEGER",
          "TEXT",
          "REAL",
          "BOOLEAN",
          "DATETIME",
          "DATE",
          "JSON",
          "NUMERIC",
          "",
          "VARCHAR(6)",
          "BLOB",
          "SMALLINT");

  /** A stored value: Long, Double, String, byte[] (a blob), {@link BadText}, or null. */
  static final class BadText {
    private final byte[] bytes;

    BadText(byte[] bytes) {
      this.bytes = bytes.clone();
    }

    byte[] bytes() {
      return bytes.clone();
    }

    @Override
    public String toString() {
      return "BadText" + java.util.Arrays.toString(bytes);
    }
  }

  /** A column: its declared type and its values, row by row. */
  record Column(String declared, List<Object> values) {}

  @Property(tries = 60)
  void thePlanAfterAOnePassLoadIsTheFullProfilesPlan(@ForAll("tables") List<Column> columns)
      throws Exception {
    Path db = database(columns);
    SqliteSource source = SqliteSource.open(db);
    SourceSchema schema = source.readSchema();
    PlanOptions options = PlanOptions.defaults();
    MigrationPlan oracle = Planner.plan(source, schema, options);
    PlanDraft draft = Planner.draft(source, schema, options, Sampling.parse(TINY_SAMPLE));
    for (TablePlan t : draft.plan().tables()) {
      net.jqwik.api.statistics.Statistics.collect(loadLikeTheLoader(source, draft, t));
    }
    assertThat(draft.sampledTables()).isZero();
    assertThat(draft.plan()).as("columns %s", columns).isEqualTo(oracle);
  }

  @Property(tries = 5)
  void aOnePassMigrationEndsAsATwoPassOne(
      @ForAll("tables") List<Column> columns, @ForAll("policies") String policy) throws Exception {
    assertSameOutcome(columns, policy);
  }

  /**
   * Tables loaded in several committed chunks are one-pass too: a stray in a later chunk removes
   * what the earlier chunks committed (rows, checkpoints, fixups, rejects) and the table loads
   * again; the outcome, checkpoints included, is the full profile's.
   */
  @Property(tries = 4)
  void aChunkedOnePassMigrationEndsAsATwoPassOne(
      @ForAll("tables") List<Column> columns,
      @ForAll("policies") String policy,
      @ForAll @net.jqwik.api.constraints.IntRange(min = 3, max = 15) int chunkRows)
      throws Exception {
    assertSameOutcome(columns, policy, "--chunk-rows", String.valueOf(chunkRows));
  }

  /**
   * A stray after the sample in the first, a middle and the last of four chunks (rowids 5, 15 and
   * 35; the tiny sample reads 1-3, 19-20 and 39-40): whichever chunk finds it, earlier chunks
   * committed or not, the table ends as the full profile plans and loads it.
   */
  @net.jqwik.api.Example
  void aStrayInTheFirstAMiddleOrTheLastChunkEndsAsTheFullProfileSays() throws Exception {
    List<Object> integers = new ArrayList<>();
    List<Object> json = new ArrayList<>();
    List<Object> texts = new ArrayList<>();
    for (long i = 0; i < 40; i++) {
      integers.add(i * 1000);
      json.add("{\"n\": " + i + "}");
      texts.add(i == 7 ? "early\u0000nul" : "row " + i); // a repair in the first chunk
    }
    int[] strays = {4, 14, 34, 34};
    String[] policies = {"fix", "set-aside", "fix", "set-aside"};
    for (int k = 0; k < strays.length; k++) {
      int at = strays[k];
      assertSameOutcome(
          List.of(
              new Column("INTEGER", with(integers, at, "high")),
              new Column("TEXT", with(json, at, "{\"a\": 1, \"a\": 2}")),
              new Column("", with(texts, at, new BadText(new byte[] {'a', (byte) 0xC3})))),
          policies[k],
          "--chunk-rows",
          "10");
    }
  }

  private static List<Object> with(List<Object> values, int at, Object stray) {
    List<Object> out = new ArrayList<>(values);
    out.set(at, stray);
    return out;
  }

  /** Strays after the sample: each stops the one-pass load, which then loads the table again. */
  @net.jqwik.api.Example
  void valuesThatDoNotFitTheSampleAreLoadedAsTheFullProfileSays() throws Exception {
    List<Object> integers = new ArrayList<>();
    List<Object> json = new ArrayList<>();
    List<Object> texts = new ArrayList<>();
    for (long i = 0; i < 40; i++) {
      integers.add(i * 1000);
      json.add("{\"n\": " + i + "}");
      texts.add("row " + i);
    }
    integers.set(30, "high");
    json.set(25, "{\"a\": 1, \"a\": 2}");
    texts.set(22, "nul\u0000byte");
    for (String policy : List.of("fix", "set-aside")) {
      assertSameOutcome(
          List.of(new Column("INTEGER", integers), new Column("TEXT", json), new Column("", texts)),
          policy);
    }
  }

  /**
   * A row set aside for an earlier column still has its later columns checked: the one-pass profile
   * leaves parsing timestamps to the encoder, so a bad one in a set-aside row must still widen the
   * table as the full profile would (found in review: the encoder stopped at the first column).
   */
  @net.jqwik.api.Example
  void aRowSetAsideForOneColumnStillHasItsLaterColumnsChecked() throws Exception {
    List<Object> texts = new ArrayList<>();
    List<Object> times = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      texts.add("row " + i);
      times.add(String.format("2024-01-%02d 10:00:00", 1 + i % 28));
    }
    texts.set(1, "nul\u0000byte"); // in the sample: the column is planned with a repair
    texts.set(30, "also\u0000nul");
    times.set(30, "soon");
    for (String policy : List.of("fix", "set-aside")) {
      assertSameOutcome(List.of(new Column("TEXT", texts), new Column("DATETIME", times)), policy);
    }
  }

  /**
   * Each hostile document after the sample of a column of plain JSON: the hashing thread's check
   * (which replaces the profile's in a checksummed load) must end the load as the profile would.
   */
  @net.jqwik.api.Example
  void hostileDocumentsLateInAJsonbColumnEndAsTheFullProfileSays() throws Exception {
    for (String declared : List.of("JSON", "")) {
      for (Object hostile : HOSTILE_JSON) {
        List<Object> json = new ArrayList<>();
        for (long i = 0; i < 24; i++) {
          json.add("{\"n\": " + i + ", \"m\": [\"\u00e9\", null]}");
        }
        json.set(17, hostile); // rowid 18: not sampled (rowids 1-3, 11-12, 23-24)
        assertSameOutcome(List.of(new Column(declared, json)), "fix");
      }
    }
  }

  private static void assertSameOutcome(List<Column> columns, String policy, String... extra)
      throws Exception {
    Path db = database(columns);
    TargetUrl full = TestPostgres.newDatabase();
    TargetUrl one = TestPostgres.newDatabase();
    Ferry.Result a = migrate(db, full, "full", policy, extra);
    Ferry.Result b = migrate(db, one, TINY_SAMPLE, policy, extra);
    assertThat(b.exitCode()).as("%s%n%s", a.all(), b.all()).isEqualTo(a.exitCode());
    for (String query : OUTCOME) {
      assertThat(rows(one, query)).as("%s%n%s", query, columns).isEqualTo(rows(full, query));
    }
  }

  private static Ferry.Result migrate(
      Path db, TargetUrl url, String profile, String policy, String... extra) {
    List<Object> args =
        new ArrayList<>(
            List.of(
                "migrate",
                db,
                "--target",
                url.display(),
                "-q",
                "--no-backup",
                "--profile",
                profile,
                "--on-bad-value",
                policy));
    args.addAll(List.of(extra));
    return Ferry.run(args.toArray());
  }

  /** What a migration leaves behind, run id and timings aside. */
  private static final List<String> OUTCOME =
      List.of(
          "SELECT table_name, column_name, data_type, character_maximum_length, is_nullable,"
              + " column_default, is_identity FROM information_schema.columns"
              + " WHERE table_schema = 'public' ORDER BY table_name, ordinal_position",
          "SELECT indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY indexname",
          "SELECT t::text FROM public.t ORDER BY id",
          "SELECT u::text FROM public.u ORDER BY id",
          "SELECT pg_get_serial_sequence('public.t', 'id') IS NOT NULL",
          "SELECT source_table, row_key::text, column_name, original_base64, loaded_value, reason"
              + " FROM ferry.fixups ORDER BY 1, 2, 3",
          "SELECT source_table, row_key::text, original_row::text, reason FROM ferry.rejects"
              + " ORDER BY 1, 2",
          "SELECT source_table, target_table, rows_read, rows_written, rows_in_target, rows_fixed,"
              + " rows_set_aside, bytes, verdict,"
              + " regexp_replace(notes::text, '/t[0-9_]+:', '/DB:', 'g')"
              + " FROM ferry.table_results ORDER BY 1",
          "SELECT source_table, chunk, upto_rowid, last, rows_read, rows_written, bytes, sum_rows,"
              + " sum_value, fixed, set_aside, loading FROM ferry.checkpoints ORDER BY 1, 2",
          "SELECT state, exit_code, regexp_replace(regexp_replace(message, '[0-9a-f-]{36}', 'RUN'),"
              + " '/t[0-9_]+:', '/DB:', 'g') FROM ferry.runs");

  /**
   * Feeds every row to the table's check as the loader does; widens when a value does not fit. Says
   * what happened, for the statistics: the test is only worth something when all happen.
   */
  private static String loadLikeTheLoader(SqliteSource source, PlanDraft draft, TablePlan t) {
    SampledTable sampled = draft.sampled(t);
    if (sampled == null) {
      return "not sampled";
    }
    SourceTable table = t.source();
    try (RowCursor rows = source.openRows(table, table.columns())) {
      while (rows.next()) {
        if (!sampled.add(rows) || !timestampsParse(t, rows)) {
          return SampledTable.sameLoad(t, sampled.widen())
              ? "stopped, then the same plan"
              : "stopped, widened";
        }
      }
    }
    return SampledTable.sameLoad(t, sampled.finish()) ? "kept" : "read to the end, then widened";
  }

  /**
   * The loader's encoder parses each text of a timestamptz column planned without repairs and stops
   * a one-pass load at one that is not a timestamp (the profile leaves that check to it), so the
   * loader's stand-in here must too.
   */
  private static boolean timestampsParse(TablePlan t, RowCursor row) {
    for (int i = 0; i < t.columns().size(); i++) {
      TypeChoice c = t.columns().get(i).choice();
      if (c.type().kind() == PgType.Kind.TIMESTAMPTZ
          && c.repairs() == 0
          && row.type(i) == RowCursor.TEXT
          && dev.ferry.value.Timestamps.micros(row.bytes(i))
              == dev.ferry.value.Timestamps.INVALID) {
        return false;
      }
    }
    return true;
  }

  /**
   * The query's rows, or its SQL state when it fails (a table a failed migration did not leave).
   */
  private static List<List<String>> rows(TargetUrl url, String sql) throws Exception {
    List<List<String>> out = new ArrayList<>();
    try (Connection c = TestPostgres.connect(url);
        Statement st = c.createStatement();
        ResultSet rs = query(st, sql, out)) {
      if (rs == null) {
        return out;
      }
      ResultSetMetaData md = rs.getMetaData();
      while (rs.next()) {
        List<String> row = new ArrayList<>();
        for (int i = 1; i <= md.getColumnCount(); i++) {
          row.add(rs.getString(i));
        }
        out.add(row);
      }
    }
    return out;
  }

  private static ResultSet query(Statement st, String sql, List<List<String>> error) {
    try {
      return st.executeQuery(sql);
    } catch (java.sql.SQLException e) {
      error.add(List.of("ERROR " + e.getSQLState()));
      return null;
    }
  }

  /** Table t with the generated columns (and an index on the first), and u with the first two. */
  private static Path database(List<Column> columns) throws Exception {
    Path dir = Files.createTempDirectory("ferry-onepass");
    StringBuilder ddl = new StringBuilder("CREATE TABLE t (id INTEGER PRIMARY KEY");
    for (int i = 0; i < columns.size(); i++) {
      ddl.append(", c").append(i).append(' ').append(columns.get(i).declared());
    }
    ddl.append(");\nCREATE INDEX t_c0 ON t (c0);\nCREATE TABLE u (id INTEGER PRIMARY KEY, a ")
        .append(columns.get(0).declared())
        .append(", b ")
        .append(columns.get(columns.size() - 1).declared())
        .append(");\n");
    Path db = Sqlite.create(dir.resolve("p.db"), ddl.toString());
    try (Connection c = Sqlite.open(db)) {
      c.setAutoCommit(false);
      insert(c, "t", columns, columns.size());
      insert(c, "u", List.of(columns.get(0), columns.get(columns.size() - 1)), 2);
      c.commit();
    }
    return db;
  }

  private static void insert(Connection c, String table, List<Column> columns, int width)
      throws Exception {
    StringBuilder sql = new StringBuilder("INSERT INTO " + table + " VALUES (NULL");
    for (int i = 0; i < width; i++) {
      sql.append(", ?");
    }
    // invalid UTF-8 must be stored as TEXT: bound as a blob, cast in SQL
    int rows = columns.get(0).values().size();
    for (int r = 0; r < rows; r++) {
      StringBuilder row = new StringBuilder(sql);
      List<Object> values = new ArrayList<>();
      for (int i = 0; i < width; i++) {
        Object v = columns.get(i).values().get(r % columns.get(i).values().size());
        values.add(v);
      }
      String text = row.append(')').toString();
      for (int i = 0; i < width; i++) {
        if (values.get(i) instanceof BadText) {
          text = replaceNth(text, i, "CAST(? AS TEXT)");
        }
      }
      try (PreparedStatement ps = c.prepareStatement(text)) {
        for (int i = 0; i < width; i++) {
          Object v = values.get(i);
          ps.setObject(i + 1, v instanceof BadText b ? b.bytes() : v);
        }
        ps.executeUpdate();
      }
    }
  }

  /** Replaces the n-th (0-based) "?" placeholder. */
  private static String replaceNth(String sql, int n, String with) {
    int at = -1;
    for (int k = 0; k <= n; k++) {
      at = sql.indexOf('?', at + 1);
    }
    return sql.substring(0, at) + with + sql.substring(at + 1);
  }

  @Provide
  Arbitrary<String> policies() {
    return Arbitraries.of("fix", "set-aside");
  }

  @Provide
  Arbitrary<List<Column>> tables() {
    return Arbitraries.integers()
        .between(12, 60)
        .flatMap(
            rows ->
                Arbitraries.frequencyOf(
                        net.jqwik.api.Tuple.of(3, column(rows)),
                        net.jqwik.api.Tuple.of(1, jsonColumn(rows)))
                    .list()
                    .ofMinSize(1)
                    .ofMaxSize(4));
  }

  /**
   * A column of plain JSON containers (declared JSON or not) with hostile documents after the
   * sample, where only the load's check (on the hashing thread, in a checksummed load) sees them.
   */
  private Arbitrary<Column> jsonColumn(int rows) {
    Arbitrary<Object> plain =
        Arbitraries.of("{\"a\": 1}", "[1, 2]", "{\"b\": [true, null], \"a\": \"\u00e9\"}", "[]")
            .map(x -> x);
    Arbitrary<List<Object>> late = hostileJson().list().ofMinSize(0).ofMaxSize(2);
    Arbitrary<List<Integer>> where = Arbitraries.integers().between(3, rows - 1).list().ofSize(2);
    return Combinators.combine(
            Arbitraries.of("JSON", "TEXT", ""), plain.list().ofSize(rows), late, where)
        .as(
            (declared, values, extra, at) -> {
              List<Object> column = new ArrayList<>(values);
              for (int k = 0; k < extra.size(); k++) {
                column.set(at.get(k), extra.get(k));
              }
              return new Column(declared, column);
            });
  }

  /**
   * Documents jsonb repairs or refuses, or that lie past the fast scan's limits: repeated keys (one
   * spelled with an escape), invalid JSON, {@code \u0000}, a lone surrogate, numbers too long for
   * the scan or beyond numeric, nesting deeper than the scan's and than the reference parser's.
   */
  private static Arbitrary<Object> hostileJson() {
    return Arbitraries.of(HOSTILE_JSON);
  }

  private static final List<Object> HOSTILE_JSON =
      List.of(
          "{\"a\": 1, \"a\": 2}",
          "{\"a\": 1, \"\\u0061\": 2}",
          "{\"a\": 1,}",
          "{\"a\": \"\\u0000\"}",
          "[\"\\ud800\"]",
          "[" + "9".repeat(250) + "]",
          "[1e999999]",
          "[".repeat(300) + "]".repeat(300),
          "[".repeat(1100) + "]".repeat(1100),
          "\"a scalar\"",
          "{\"k\": " + "[".repeat(5) + "1" + "]".repeat(5) + ", \"k\": null}");

  /** Most rows of one kind, a few strays of another anywhere, some NULLs. */
  private Arbitrary<Column> column(int rows) {
    Arbitrary<List<Object>> mostly =
        kinds().flatMap(kind -> kind.list().ofSize(rows)).map(ArrayList::new);
    Arbitrary<List<Object>> strays = kinds().flatMap(kind -> kind.list().ofMinSize(0).ofMaxSize(3));
    Arbitrary<List<Integer>> where = Arbitraries.integers().between(0, rows - 1).list().ofSize(3);
    return Combinators.combine(Arbitraries.of(DECLARED), mostly, strays, where)
        .as(
            (declared, values, extra, at) -> {
              for (int k = 0; k < extra.size(); k++) {
                values.set(at.get(k), extra.get(k));
              }
              return new Column(declared, values);
            });
  }

  private Arbitrary<Arbitrary<Object>> kinds() {
    List<Arbitrary<Object>> kinds =
        List.of(
            Arbitraries.longs().between(-1000, 1000).map(x -> x),
            Arbitraries.of(0L, 1L).map(x -> x),
            Arbitraries.of(
                    32_767L,
                    32_768L,
                    -32_769L,
                    9_007_199_254_740_992L,
                    9_007_199_254_740_993L,
                    Long.MAX_VALUE,
                    Long.MIN_VALUE)
                .map(x -> x),
            Arbitraries.longs().between(0, 4_000_000_000L).map(x -> x),
            Arbitraries.longs().between(100_000_000_000L, 2_000_000_000_000L).map(x -> x),
            Arbitraries.of(0.5, -2.0, 1e300, 3.0, Double.NaN).map(x -> x),
            Arbitraries.of(
                    "2024-01-02",
                    "2024-02-29 10:11:12",
                    "2024-03-01T00:00:00Z",
                    "2024-03-01 25:00:00",
                    "2024-13-01")
                .map(x -> x),
            Arbitraries.of(
                    "{\"a\": 1}",
                    "[1, 2]",
                    "{\"a\": 1, \"a\": 2}",
                    "{\"a\": \"\\u0000\"}",
                    "1",
                    "\"x\"",
                    "{\"a\": ")
                .map(x -> x),
            Arbitraries.of("yes", "no", "t", "0", "maybe").map(x -> x),
            Arbitraries.of("12.50", "-3", "1e5", "1.", "").map(x -> x),
            Arbitraries.strings().withCharRange(' ', '\u00ff').ofMaxLength(9).map(x -> x),
            Arbitraries.of("a\u0000b", "\u00e9t\u00e9", "seven 7").map(x -> x),
            Arbitraries.of(
                    new BadText(new byte[] {'a', (byte) 0xC3, '(', 'b'}),
                    new BadText("ok".getBytes(StandardCharsets.UTF_8)))
                .map(x -> x),
            Arbitraries.of(new byte[] {1, 2, 0}, new byte[0]).map(x -> x),
            Arbitraries.just(null));
    return Arbitraries.of(kinds);
  }
}
