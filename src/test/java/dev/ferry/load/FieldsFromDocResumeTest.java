package dev.ferry.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.plan.ColumnPlan;
import dev.ferry.plan.PlanOptions;
import dev.ferry.plan.Planner;
import dev.ferry.plan.TablePlan;
import dev.ferry.postgres.TargetUrl;
import dev.ferry.source.sqlite.SqliteSource;
import dev.ferry.testing.Sqlite;
import dev.ferry.testing.TestPostgres;
import dev.ferry.value.BadValuePolicy;
import dev.ferry.verify.Verifier;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A staged table whose jsonb column is taken from its doc ({@link FieldsFromDoc}), loaded in
 * chunks: between committed chunks the column is still generated in the catalog; a load that fails
 * in a later chunk leaves it so, and the resume reads that from the catalog, leaves the column out
 * of its COPY and makes it ordinary at the end, with the checksum of the staged values equal to the
 * server's over what it stored.
 */
class FieldsFromDocResumeTest {
  private static final int ROWS = 400;
  private static final long CHUNK = 90;

  @TempDir Path tmp;

  @Test
  void aFailedChunkedLoadLeavesTheColumnGeneratedAndItsResumeMakesItOrdinary() throws Exception {
    Path db = staged(301);
    SqliteSource source = SqliteSource.openStaged(db);
    TablePlan table =
        Planner.plan(source, source.readSchema(), PlanOptions.defaults()).tables().get(0);
    assertThat(table.columns().stream().filter(c -> c.fromDoc() != null).map(ColumnPlan::name))
        .containsExactly("content");
    TargetUrl url = LoaderFixture.target();
    UUID run = LoaderFixture.run(url);
    try (PostgresTarget target = PostgresTarget.connect(url, 2)) {
      FerryException e =
          catchThrowableOfType(
              FerryException.class,
              () ->
                  target.load(
                      table,
                      new LoadOptions(IfExists.FAIL, true, BadValuePolicy.FAIL, run, CHUNK),
                      SqliteSource.openStaged(db),
                      n -> {}));
      assertThat(e.code()).isEqualTo(ErrorCode.LOAD_FAILED);
      assertThat(generated(url)).as("committed chunks, expression still on").isEqualTo(1);
      LoadedSoFar soFar = LoaderFixture.committed(url, run);
      assertThat(soFar.written()).isPositive().isLessThan(ROWS);
      LoadResult r =
          target.resume(
              table,
              new LoadOptions(IfExists.FAIL, true, BadValuePolicy.FIX, run, CHUNK),
              SqliteSource.openStaged(db),
              n -> {},
              soFar);
      assertThat(r.rowsWritten()).isEqualTo(ROWS);
      assertThat(generated(url)).as("ordinary after the last chunk").isZero();
      assertThat(r.sourceChecksum()).isEqualTo(Verifier.checksum(target, table));
      assertThat(
              TestPostgres.count(
                  url,
                  "SELECT count(*) FROM t WHERE content IS DISTINCT FROM"
                      + " NULLIF(doc -> 'content', 'null')"))
          .isZero();
      assertThat(TestPostgres.count(url, "SELECT count(*) FROM t WHERE content IS NULL"))
          .isEqualTo(ROWS / 10);
    }
  }

  /**
   * A database as staging writes it: columns without types, the hints of {@code _ferry_columns}
   * (content holds the doc's field "content": an object, or NULL where the field is JSON null); row
   * {@code bad} holds a NUL in its name, which fails the load under FAIL.
   */
  private Path staged(int bad) {
    return Sqlite.create(
        tmp.resolve("staged.db"),
        "CREATE TABLE t (line INTEGER PRIMARY KEY, name, content, doc);\n"
            + "WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < "
            + ROWS
            + ") INSERT INTO t SELECT i, 'name ' || i,"
            + " CASE WHEN i % 10 = 0 THEN NULL ELSE json_object('n', i, 'k', json_array(i, 'é'))"
            + " END, NULL FROM s;\n"
            + "UPDATE t SET doc = json_object('name', name, 'content', json(content));\n"
            + "UPDATE t SET name = CAST(x'610062' AS TEXT) WHERE line = "
            + bad
            + ";\n"
            + "CREATE TABLE _ferry_columns (tbl TEXT, col TEXT, position INTEGER, declared TEXT,"
            + " plain_json INTEGER, field TEXT);\n"
            + "INSERT INTO _ferry_columns VALUES ('t', 'line', 0, 'INTEGER', 0, NULL),"
            + " ('t', 'name', 1, '', 0, 'name'), ('t', 'content', 2, 'JSON', 1, 'content'),"
            + " ('t', 'doc', 2147483647, 'JSON', 1, NULL);\n");
  }

  private static long generated(TargetUrl url) {
    return TestPostgres.count(
        url,
        "SELECT count(*) FROM pg_attribute WHERE attrelid = 't'::regclass AND attgenerated <> ''");
  }
}
