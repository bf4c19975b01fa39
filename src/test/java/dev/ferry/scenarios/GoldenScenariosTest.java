package dev.ferry.scenarios;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.postgres.TargetUrl;
import dev.ferry.testing.Ferry;
import dev.ferry.testing.Sqlite;
import dev.ferry.testing.TestPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Golden scenarios: each folder under src/test/resources/scenarios holds source.sql (the SQLite
 * database, built fresh) or a source/ directory of JSON, NDJSON and text files, optionally args.txt
 * (extra `ferry migrate` arguments), and expected.txt: the target catalog, then the notes the run
 * reported, then the exit code. Run with -Dferry.golden.update=true to rewrite expected.txt after a
 * deliberate change, and review the diff like code.
 *
 * <p>A folder with {@code target.sql} loads into a schema the user designed (ferry.yaml {@code
 * map:}): see {@link OwnSchemaScenario}. Its expectations, {@code expected-rows.txt} and {@code
 * expected-notes.txt}, are written by hand from the seed and the conversion rules, never from a
 * run: the update switch does not touch them.
 */
class GoldenScenariosTest {
  private static final Path ROOT = Paths.get("src/test/resources/scenarios");
  private static final String UPDATE = "ferry.golden.update";

  @TempDir Path tmp;

  @TestFactory
  Stream<DynamicTest> scenarios() throws IOException {
    List<Path> dirs;
    try (Stream<Path> s = Files.list(ROOT)) {
      dirs = s.filter(Files::isDirectory).sorted().toList();
    }
    return dirs.stream()
        .map(dir -> DynamicTest.dynamicTest(dir.getFileName().toString(), () -> run(dir)));
  }

  private void run(Path dir) throws Exception {
    Path db =
        Files.isDirectory(dir.resolve("source"))
            ? dir.resolve("source") // JSON, NDJSON and text files
            : Sqlite.create(
                tmp.resolve(dir.getFileName() + ".db"),
                Files.readString(dir.resolve("source.sql")));
    if (Files.exists(dir.resolve("target.sql"))) {
      OwnSchemaScenario.run(dir, db, tmp); // into the user's own tables: rows and notes
      return;
    }
    TargetUrl url = TestPostgres.newDatabase();
    Path report = tmp.resolve(dir.getFileName() + ".json");
    List<Object> args =
        new ArrayList<>(
            List.of("migrate", db, "--target", url.display(), "--quiet", "--report", report));
    Path extra = dir.resolve("args.txt");
    if (Files.exists(extra)) {
      args.addAll(List.of((Object[]) Files.readString(extra).trim().split("\\s+")));
    }
    Ferry.Result result = Ferry.run(args.toArray());
    StringBuilder actual = new StringBuilder(CatalogDump.of(url, "public"));
    actual.append("notes:\n");
    JsonNode json = new ObjectMapper().readTree(report.toFile());
    List<String> notes = new ArrayList<>();
    json.get("notes").forEach(n -> notes.add(n.asText()));
    json.get("tables").forEach(t -> t.get("notes").forEach(n -> notes.add(n.asText())));
    notes.stream().sorted().forEach(n -> actual.append("  - ").append(n).append('\n'));
    actual.append("exit code: ").append(result.exitCode()).append('\n');

    check(
        dir.resolve("expected.txt"),
        actual.toString(),
        Boolean.getBoolean(UPDATE),
        String.format("catalog of scenario %s (output: %s)", dir.getFileName(), result.all()));
  }

  /**
   * Compares {@code actual} with the expectation in {@code expected}. Only when asked ({@code
   * update}) is the file (re)written; a missing expectation fails and says how to write it, so a
   * scenario can never pass without one having been reviewed.
   */
  static void check(Path expected, String actual, boolean update, String what) throws IOException {
    if (update) {
      Files.writeString(expected, actual);
    } else if (!Files.exists(expected)) {
      throw new AssertionError(
          expected
              + " does not exist: run with -D"
              + UPDATE
              + "=true to write it from this run, then review it like code");
    }
    assertThat(actual).as(what).isEqualTo(Files.readString(expected));
  }

  @Test
  void aMissingExpectationFailsAndIsWrittenOnlyWhenAsked() throws IOException {
    Path expected = tmp.resolve("expected.txt");
    Throwable missing = catchThrowable(() -> check(expected, "catalog\n", false, "x"));
    assertThat(missing).isInstanceOf(AssertionError.class).hasMessageContaining(UPDATE + "=true");
    assertThat(expected).doesNotExist();
    check(expected, "catalog\n", true, "x");
    assertThat(expected).hasContent("catalog\n");
    check(expected, "catalog\n", false, "x");
    assertThat(catchThrowable(() -> check(expected, "other\n", false, "x")))
        .isInstanceOf(AssertionError.class);
  }
}
