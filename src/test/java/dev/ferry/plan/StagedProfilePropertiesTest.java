package dev.ferry.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.FerryException;
import dev.ferry.postgres.TargetUrl;
import dev.ferry.run.Migration;
import dev.ferry.run.RunOptions;
import dev.ferry.source.SourceSchema;
import dev.ferry.source.SourceTable;
import dev.ferry.source.files.FileRules;
import dev.ferry.source.files.FileStores;
import dev.ferry.source.sqlite.SqliteSource;
import dev.ferry.testing.TestPostgres;
import dev.ferry.value.BadValuePolicy;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * Staging profiles each table as it stores it ({@link StagedProfiles}, issue 12), and the plan then
 * takes that profile instead of reading the staged copy again. The oracle is the plan's own pass
 * over the staged SQLite file ({@link TableProfiler#profile}, {@link Planner#plan}): over generated
 * hostile JSON stores (NDJSON, arrays, objects keyed by id, keyed maps of plain values, unnested
 * arrays; fields of mixed kinds, NUL, lone surrogates, huge numbers and numbers beyond numeric's
 * range, repeated keys, nested containers, empty and long texts, missing fields), every profile
 * staging hands over equals the pass's, fact for fact, and the plan is the same object. A table
 * whose stored rows stopped being the rows staging saw (a repeated key replacing a row, a column
 * rewritten as JSON) is handed over as nothing, so the plan reads it. And a whole migration ends
 * the same with the handoff and without: types, rows, fixups, rejects, verdicts.
 */
class StagedProfilePropertiesTest {
  /** A generated store: its shape, its records (or values) as JSON text, and the rules. */
  record Store(String shape, List<String> records, boolean unnest, boolean repeatKeys) {
    @Override
    public String toString() {
      return shape
          + (unnest ? " --unnest" : "")
          + (repeatKeys ? " (keys repeated)" : "")
          + " "
          + records;
    }
  }

  @Property(tries = 40)
  void everyProfileStagingHandsOverIsThePassOverTheStagedCopy(@ForAll("stores") Store store)
      throws Exception {
    StagedProfiles seen = new StagedProfiles();
    Path db = stage(store, BadValuePolicy.SET_ASIDE, seen);
    if (db == null) {
      Statistics.label("staging").collect("refused the input");
      return;
    }
    SqliteSource source = SqliteSource.openStaged(db);
    SourceSchema schema = source.readSchema();
    for (SourceTable t : schema.tables()) {
      TableProfiler.TableProfile staged = seen.profile(db, t);
      Statistics.label("table")
          .collect(staged == null ? "read again" : "handed over", t.columns().size() > 2);
      if (staged != null) {
        TableProfiler.TableProfile pass =
            TableProfiler.profile(
                source, new TableProfiler.Part(t, Long.MIN_VALUE, Long.MAX_VALUE));
        assertThat(facts(staged)).as("table %s of %s", t.name(), store).isEqualTo(facts(pass));
      }
    }
    MigrationPlan oracle = Planner.plan(source, schema, PlanOptions.defaults());
    PlanDraft draft = Planner.draft(source, schema, PlanOptions.defaults(), 0, Sampling.FULL, seen);
    assertThat(draft.plan()).as("%s", store).isEqualTo(oracle);
  }

  /** A clean store is handed over whole: the handoff is not vacuous. */
  @Example
  void everyTableOfACleanStoreIsHandedOver() throws Exception {
    List<String> records = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      records.add(
          "{\"id\": "
              + i
              + ", \"text\": \"t\\u00e9"
              + i
              + "\", \"at\": \"2024-01-02T03:04:05Z\", \"meta\": {\"n\": "
              + i
              + "}, \"items\": [{\"p\": "
              + i
              + "}]"
              + (i % 3 == 0 ? ", \"late\": 1.5" : "")
              + "}");
    }
    for (String shape : List.of("ndjson", "array", "keyed")) {
      StagedProfiles seen = new StagedProfiles();
      Path db = stage(new Store(shape, records, true, false), BadValuePolicy.FIX, seen);
      assertThat(db).as("%s: %s", shape, refused).isNotNull();
      SqliteSource source = SqliteSource.openStaged(db);
      List<SourceTable> tables = source.readSchema().tables();
      assertThat(tables).hasSizeGreaterThanOrEqualTo(2);
      for (SourceTable t : tables) {
        assertThat(seen.profile(db, t)).as("%s: %s", shape, t.name()).isNotNull();
      }
    }
  }

  /**
   * What staging changes after storing a row is never handed over: a repeated key (the later copy
   * replaces the row), a field of objects and scalars (rewritten as JSON), a keyed map of mixed
   * kinds (rewritten), and a database staged before (reused: nothing was seen).
   */
  @Example
  void aTableStagingChangedAfterStoringIsReadAgain() throws Exception {
    String repeated = "{\"k1\": {\"a\": 1}, \"k2\": {\"a\": 2}, \"k1\": {\"a\": 3}}";
    assertReadAgain(repeated, "keyed");
    assertReadAgain("[{\"a\": 1}, {\"a\": {\"b\": 2}}]", "array");
    assertReadAgain("{\"1700\": 1, \"1701\": \"x\", \"1702\": true}", "raw");

    Path dir = Files.createTempDirectory("ferry-staged-reuse");
    Files.writeString(dir.resolve("store.json"), "[{\"a\": 1}, {\"a\": 2}]");
    StagedProfiles first = new StagedProfiles();
    Path db = expand(dir, FileRules.DEFAULT, BadValuePolicy.FIX, first);
    SourceTable t = SqliteSource.openStaged(db).readSchema().tables().get(0);
    assertThat(first.profile(db, t)).isNotNull();
    StagedProfiles again = new StagedProfiles();
    assertThat(expand(dir, FileRules.DEFAULT, BadValuePolicy.FIX, again)).isEqualTo(db);
    assertThat(again.profile(db, t)).as("reused staging: nothing seen").isNull();
  }

  private static void assertReadAgain(String json, String what) throws Exception {
    Path dir = Files.createTempDirectory("ferry-staged-changed");
    Files.writeString(dir.resolve("store.json"), json);
    StagedProfiles seen = new StagedProfiles();
    FileRules rules =
        what.equals("keyed")
            ? new FileRules(true, false, Set.of(), Map.of("store", "key"), Set.of())
            : FileRules.DEFAULT;
    Path db = expand(dir, rules, BadValuePolicy.SET_ASIDE, seen);
    SqliteSource source = SqliteSource.openStaged(db);
    for (SourceTable t : source.readSchema().tables()) {
      if (t.name().equals("store")) {
        assertThat(seen.profile(db, t)).as(what).isNull();
      }
    }
  }

  @Property(tries = 4)
  void aMigrationEndsTheSameWithTheHandoffAndWithout(
      @ForAll("smallStores") Store store, @ForAll("policies") BadValuePolicy policy)
      throws Exception {
    StagedProfiles seen = new StagedProfiles();
    Path db = stage(store, policy, seen);
    if (db == null) {
      Statistics.collect("refused", "-");
      return;
    }
    TargetUrl with = TestPostgres.newDatabase();
    TargetUrl without = TestPostgres.newDatabase();
    int a = migrate(db, with, policy, seen);
    int b = migrate(db, without, policy, null);
    assertThat(a).as("%s", store).isEqualTo(b);
    SourceTable first = SqliteSource.openStaged(db).readSchema().tables().get(0);
    Statistics.collect("exit " + a, seen.profile(db, first) != null ? "handed over" : "read again");
    for (String query : outcome(without)) {
      assertThat(rows(with, query)).as("%s%n%s", query, store).isEqualTo(rows(without, query));
    }
  }

  @Provide
  Arbitrary<BadValuePolicy> policies() {
    return Arbitraries.of(BadValuePolicy.FIX, BadValuePolicy.SET_ASIDE);
  }

  // --- generated stores -------------------------------------------------------------------------

  private static final List<String> FIELDS = List.of("id", "text", "n", "when", "meta", "items");

  /** JSON values by kind: what a field mostly holds, and the strays among them. */
  private static final List<List<String>> KINDS =
      List.of(
          List.of(
              "\"\"",
              "\"x\"",
              "\"" + "a\\u00e9\\u6f22\\ud83c\\udf89 ".repeat(700) + "\"",
              "\"nul\\u0000in\"",
              "\"lone \\ud800 surrogate\"",
              "\"true\"",
              "\"12.50\"",
              "\"{\\\"json\\\": 1}\"",
              "\"[1, 2]\"",
              "\"line\\nbreak \\\"quoted\\\"\""),
          List.of(
              "0",
              "1",
              "-1",
              "9223372036854775807",
              "9223372036854775808",
              "-9223372036854775809",
              "1700000000",
              "1700000000000",
              "1" + "0".repeat(2000)),
          List.of(
              "1.5",
              "0.1",
              "-0.0",
              "3.0",
              "1E5",
              "1e400",
              "-1e400",
              "1e-400",
              "1e200000",
              "123456789012345678901234567890.5"),
          List.of("\"2024-01-02T03:04:05Z\"", "\"2024-01-02\"", "\"2024-13-45\"", "\"soon\""),
          List.of("true", "false", "null"),
          List.of(
              "{}",
              "[]",
              "{\"x\": [1, \"a\", {\"y\": null}]}",
              "{\"k\": 1, \"k\": 2}",
              "{\"s\": \"nul\\u0000\"}",
              "{\"\\u0000k\": 1}",
              "[".repeat(1001) + "]".repeat(1001),
              "{\"big\": 1e200000}"),
          List.of("[{\"p\": 1}, {\"p\": \"x\", \"q\": [2]}]", "[{\"p\": 2}]", "[{}]"));

  /** A field's value: its home kind mostly, any kind now and then. */
  private static Arbitrary<String> value(int home) {
    Arbitrary<String> any =
        Arbitraries.integers()
            .between(0, KINDS.size() - 1)
            .flatMap(k -> Arbitraries.of(KINDS.get(k)));
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(8, Arbitraries.of(KINDS.get(home))), net.jqwik.api.Tuple.of(1, any));
  }

  /** A record: each field present or missing, now and then one repeated. */
  private static Arbitrary<String> record(List<Integer> homes) {
    List<Arbitrary<String>> parts = new ArrayList<>();
    for (int f = 0; f < FIELDS.size(); f++) {
      String name = FIELDS.get(f);
      Arbitrary<String> pair = value(homes.get(f)).map(v -> "\"" + name + "\": " + v);
      parts.add(
          Arbitraries.frequencyOf(
              net.jqwik.api.Tuple.of(4, pair), net.jqwik.api.Tuple.of(1, Arbitraries.just(""))));
    }
    Arbitrary<String> again =
        Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(12, Arbitraries.just("")),
            net.jqwik.api.Tuple.of(1, value(0).map(v -> "\"text\": " + v)));
    parts.add(again);
    return Combinators.combine(parts)
        .as(ps -> "{" + String.join(", ", ps.stream().filter(p -> !p.isEmpty()).toList()) + "}");
  }

  @Provide
  Arbitrary<Store> stores() {
    return stores(30);
  }

  /** Fewer records, so that fewer stores hold a value staging refuses (a lone surrogate). */
  @Provide
  Arbitrary<Store> smallStores() {
    return stores(8);
  }

  private static Arbitrary<Store> stores(int maxRecords) {
    Arbitrary<List<Integer>> homes =
        Arbitraries.integers().between(0, KINDS.size() - 1).list().ofSize(FIELDS.size());
    Arbitrary<String> shape = Arbitraries.of("ndjson", "array", "keyed", "plain-map");
    return Combinators.combine(
            homes, shape, Arbitraries.of(true, false), Arbitraries.of(true, false))
        .flatAs(
            (h, s, unnest, repeat) -> {
              Arbitrary<String> one = s.equals("plain-map") ? value(h.get(0)) : record(h);
              return one.list()
                  .ofMinSize(1)
                  .ofMaxSize(maxRecords)
                  .map(records -> new Store(s, records, unnest, repeat));
            });
  }

  // --- staging and running ----------------------------------------------------------------------

  /** Writes the store as its shape's file and stages it; null when staging refused it. */
  private static Path stage(Store store, BadValuePolicy policy, StagedProfiles seen)
      throws Exception {
    Path dir = Files.createTempDirectory("ferry-staged-profile");
    List<String> r = store.records();
    String text =
        switch (store.shape()) {
          case "ndjson" -> String.join("\n", r) + "\n";
          case "array" -> "[" + String.join(",\n", r) + "]";
          default -> keyed(r, store.repeatKeys());
        };
    Files.writeString(
        dir.resolve(store.shape().equals("ndjson") ? "store.ndjson" : "store.json"), text);
    FileRules rules =
        new FileRules(
            true,
            store.unnest(),
            Set.of(),
            store.shape().equals("keyed") ? Map.of("store", "key") : Map.of(),
            Set.of());
    try {
      return expand(dir, rules, policy, seen);
    } catch (FerryException e) {
      refused = e.getMessage();
      return null;
    }
  }

  /** Why staging last refused a store (for the example that expects none to be refused). */
  private static String refused;

  /** An object keyed by id ("1700", "1701", ..., when {@code repeat} every seventh again). */
  private static String keyed(List<String> values, boolean repeat) {
    StringBuilder b = new StringBuilder("{");
    for (int i = 0; i < values.size(); i++) {
      int key = repeat && i % 7 == 6 ? i - 3 : i;
      b.append(i == 0 ? "" : ",\n").append("\"").append(1700 + key).append("\": ");
      b.append(values.get(i));
    }
    return b.append('}').toString();
  }

  private static Path expand(
      Path dir, FileRules rules, BadValuePolicy policy, StagedProfiles seen) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    List<Path> sources =
        FileStores.expand(
                dir,
                rules,
                policy,
                dir.resolveSibling(dir.getFileName() + "-staging"),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                seen)
            .sources();
    assertThat(sources).hasSize(1);
    return sources.get(0);
  }

  private static int migrate(Path db, TargetUrl url, BadValuePolicy policy, StagedProfiles seen)
      throws Exception {
    RunOptions options =
        RunOptions.builder()
            .source(db)
            .target(url.display())
            .badValues(policy)
            .backup(false)
            .workDir(db.getParent())
            .stagedProfiles(seen)
            .build();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      return new Migration(
              options, new PrintStream(out, true, StandardCharsets.UTF_8), Map.of(), true)
          .run()
          .exitCode();
    } catch (FerryException e) {
      return e.code().exitCode();
    }
  }

  /** What a migration leaves behind, run ids and timings aside: every table's rows too. */
  private static List<String> outcome(TargetUrl url) throws Exception {
    List<String> queries =
        new ArrayList<>(
            List.of(
                "SELECT table_name, column_name, data_type, character_maximum_length,"
                    + " is_nullable, column_default FROM information_schema.columns"
                    + " WHERE table_schema = 'public' ORDER BY table_name, ordinal_position",
                "SELECT indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY indexname",
                "SELECT source_table, row_key::text, column_name, original_base64, loaded_value,"
                    + " reason FROM ferry.fixups ORDER BY 1, 2, 3",
                "SELECT source_table, row_key::text, original_row::text, reason FROM ferry.rejects"
                    + " ORDER BY 1, 2, 3",
                "SELECT source_table, target_table, rows_read, rows_written, rows_in_target,"
                    + " rows_fixed, rows_set_aside, bytes, verdict,"
                    + " regexp_replace(notes::text, '/t[0-9_]+:', '/DB:', 'g')"
                    + " FROM ferry.table_results ORDER BY 1",
                "SELECT state, exit_code FROM ferry.runs"));
    for (List<String> t :
        rows(
            url,
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'")) {
      queries.add("SELECT x::text FROM public.\"" + t.get(0) + "\" x ORDER BY 1");
    }
    return queries;
  }

  private static List<List<String>> rows(TargetUrl url, String sql) throws Exception {
    List<List<String>> out = new ArrayList<>();
    try (Connection c = TestPostgres.connect(url);
        Statement st = c.createStatement()) {
      ResultSet rs;
      try {
        rs = st.executeQuery(sql);
      } catch (java.sql.SQLException e) {
        return List.of(List.of("ERROR " + e.getSQLState()));
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

  /** Every fact of a table's profile: its row count and each column's fields. */
  private static List<Map<String, Object>> facts(TableProfiler.TableProfile p) throws Exception {
    List<Map<String, Object>> out = new ArrayList<>();
    out.add(Map.of("rows", p.rows()));
    for (ColumnProfile c : p.columns()) {
      Map<String, Object> m = new LinkedHashMap<>();
      for (Field f : ColumnProfile.class.getDeclaredFields()) {
        if (!Modifier.isStatic(f.getModifiers())) {
          f.setAccessible(true);
          m.put(f.getName(), f.get(c));
        }
      }
      out.add(m);
    }
    return out;
  }
}
