package dev.ferry.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.plan.PlanOptions;
import dev.ferry.plan.Planner;
import dev.ferry.plan.TablePlan;
import dev.ferry.postgres.TargetUrl;
import dev.ferry.source.sqlite.SqliteSource;
import dev.ferry.testing.Sqlite;
import dev.ferry.testing.TestPostgres;
import dev.ferry.value.BadValuePolicy;
import dev.ferry.value.TableChecksum;
import dev.ferry.verify.Verifier;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A big table loads in rowid chunks, each one transaction that commits its rows and its checkpoint
 * together: after a failure at any row, the target holds exactly the rows of the committed
 * checkpoints, and a resume from them completes the table with a checksum equal to the server's.
 */
class TableLoaderTest {
  private static final int ROWS = 1_000;
  private static final long CHUNK = 97;

  @TempDir Path tmp;

  @Test
  void everyChunkCommitsItsRowsWithItsCheckpoint() throws Exception {
    Path db = source(-1);
    TargetUrl url = LoaderFixture.target();
    UUID run = LoaderFixture.run(url);
    TablePlan table = plan(db);
    try (PostgresTarget target = PostgresTarget.connect(url, 2)) {
      LoadResult r =
          target.load(table, options(run, BadValuePolicy.FAIL), SqliteSource.open(db), n -> {});
      assertThat(r.rowsRead()).isEqualTo(ROWS);
      assertThat(r.rowsWritten()).isEqualTo(ROWS);
      assertThat(TestPostgres.count(url, "SELECT count(*) FROM ferry.checkpoints"))
          .isEqualTo((ROWS + CHUNK - 1) / CHUNK);
      assertThat(TestPostgres.count(url, "SELECT count(*) FROM ferry.checkpoints WHERE last"))
          .isOne();
      assertThat(TestPostgres.count(url, "SELECT sum(rows_written) FROM ferry.checkpoints"))
          .isEqualTo(ROWS);
      assertThat(TestPostgres.count(url, "SELECT count(*) FROM t")).isEqualTo(ROWS);
      assertThat(r.sourceChecksum()).isEqualTo(Verifier.checksum(target, table));
    }
  }

  @Test
  void aFailureAtAnyRowLeavesExactlyTheCommittedChunksAndAResumeCompletesTheTable()
      throws Exception {
    Random random = new Random(42);
    for (int trial = 0; trial < 4; trial++) {
      int bad = 1 + random.nextInt(ROWS);
      Path db = source(bad);
      TargetUrl url = LoaderFixture.target();
      UUID run = LoaderFixture.run(url);
      TablePlan table = plan(db);
      try (PostgresTarget target = PostgresTarget.connect(url, 2)) {
        FerryException e =
            catchThrowableOfType(
                FerryException.class,
                () ->
                    target.load(
                        table, options(run, BadValuePolicy.FAIL), SqliteSource.open(db), n -> {}));
        assertThat(e.code()).as("row " + bad).isEqualTo(ErrorCode.LOAD_FAILED);
        LoadedSoFar soFar = LoaderFixture.committed(url, run);
        long chunks = (ROWS + CHUNK - 1) / CHUNK; // rowids 1..ROWS in this many equal ranges
        long width = (ROWS - 1) / chunks + 1;
        long firstOfBadChunk = (bad - 1) / width * width + 1;
        assertThat(soFar.written()).as("row " + bad).isEqualTo(firstOfBadChunk - 1);
        if (soFar.chunks() > 0) {
          assertThat(TestPostgres.count(url, "SELECT count(*) FROM t")).isEqualTo(soFar.written());
          assertThat(TestPostgres.count(url, "SELECT coalesce(max(id), 0) FROM t"))
              .isEqualTo(soFar.uptoRowid());
          LoadResult r =
              target.resume(
                  table, options(run, BadValuePolicy.FIX), SqliteSource.open(db), n -> {}, soFar);
          assertThat(r.rowsWritten()).isEqualTo(ROWS);
          assertThat(r.fixed()).isOne();
          assertThat(TestPostgres.count(url, "SELECT count(*) FROM t")).isEqualTo(ROWS);
          assertThat(r.sourceChecksum()).isEqualTo(Verifier.checksum(target, table));
        } else {
          assertThat(TestPostgres.count(url, "SELECT count(*) FROM pg_class WHERE relname = 't'"))
              .as("the first chunk creates the table, with its rows or not at all")
              .isZero();
        }
      }
    }
  }

  /**
   * A table created by its load skips the WAL on a server with {@code wal_level = minimal} (the
   * embedded one), so its COMMIT waits for every page to reach the disk; the load has the server
   * start writing its pages while COPY goes on instead (the big table's COMMIT waited half a second
   * with both cores idle). Seen in pg_stat_io: the loading backend asked the kernel to write back
   * pages of the bulk write (the server does so only when {@code backend_flush_after} is set; its
   * default is 0, and the COPY's ring of 16 MB overflows here).
   */
  @Test
  void aLoadHasItsPagesWrittenWhileCopyGoesOnNotAllAtCommit() throws Exception {
    Path db =
        Sqlite.create(
            tmp.resolve("big.db"),
            "CREATE TABLE t (id INTEGER PRIMARY KEY, payload TEXT);\n"
                + "WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 80000)"
                + " INSERT INTO t SELECT i, hex(randomblob(200)) FROM s;\n");
    TargetUrl url = LoaderFixture.target();
    UUID run = LoaderFixture.run(url);
    long before = writebacks(url);
    try (PostgresTarget target = PostgresTarget.connect(url, 2)) {
      LoadResult r =
          target.load(
              plan(db),
              new LoadOptions(IfExists.FAIL, false, BadValuePolicy.FAIL, run, 0),
              SqliteSource.open(db),
              n -> {});
      assertThat(r.rowsWritten()).isEqualTo(80_000);
    } // the backends end and report their I/O
    long after = before;
    for (int i = 0; i < 100 && after == before; i++) {
      Thread.sleep(50);
      after = writebacks(url);
    }
    assertThat(after).as("writebacks asked for by the loading backend").isGreaterThan(before);
  }

  private static long writebacks(TargetUrl url) {
    return TestPostgres.count(
        url,
        "SELECT coalesce(sum(writebacks), 0) FROM pg_stat_io"
            + " WHERE backend_type = 'client backend' AND context = 'bulkwrite'");
  }

  /** A rowid table of {@link #ROWS} rows; row {@code bad} (if positive) holds a NUL in its text. */
  private Path source(int bad) {
    StringBuilder script =
        new StringBuilder("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT, n REAL);\n");
    script.append(
        "WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < "
            + ROWS
            + ") INSERT INTO t SELECT i, 'name ' || i, i / 7.0 FROM s;\n");
    if (bad > 0) {
      script.append("UPDATE t SET name = CAST(x'610062' AS TEXT) WHERE id = " + bad + ";\n");
    }
    return Sqlite.create(tmp.resolve("t" + System.nanoTime() + ".db"), script.toString());
  }

  private static TablePlan plan(Path db) {
    SqliteSource s = SqliteSource.open(db);
    return Planner.plan(s, s.readSchema(), PlanOptions.defaults()).tables().get(0);
  }

  private static LoadOptions options(UUID run, BadValuePolicy policy) {
    return new LoadOptions(IfExists.FAIL, true, policy, run, CHUNK);
  }

  @Test
  void checksumsOfChunksAddUpToTheWholeTable() {
    TableChecksum.Accumulator whole = new TableChecksum.Accumulator();
    TableChecksum.Accumulator a = new TableChecksum.Accumulator();
    TableChecksum.Accumulator b = new TableChecksum.Accumulator();
    Random random = new Random(7);
    for (int i = 0; i < 1000; i++) {
      long h = random.nextLong();
      whole.add(h);
      (i < 400 ? a : b).add(h);
    }
    TableChecksum x = a.result();
    TableChecksum y = b.result();
    assertThat(new TableChecksum(x.rows() + y.rows(), x.sum().add(y.sum())))
        .isEqualTo(whole.result());
    assertThat(whole.result().sum()).isNotEqualTo(BigInteger.ZERO);
  }
}
