package dev.ferry.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.postgres.TargetUrl;
import dev.ferry.testing.Ferry;
import dev.ferry.testing.TestPostgres;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole sequence as a user runs it: an application process writes at a steady rate while {@code
 * sync start} copies and follows; the follower is killed with SIGKILL at random moments and started
 * again; cutover switches with the application still writing; then every row is equal on both sides
 * (row by row, by key), the application's next SQLite write is refused naming PostgreSQL, and sync
 * stop leaves the file's schema as it was.
 */
class LiveMigrationTest {
  static final String SCHEMA =
      """
      CREATE TABLE item (id INTEGER PRIMARY KEY, sku TEXT NOT NULL UNIQUE, qty INTEGER NOT NULL, note TEXT);
      CREATE TABLE event (id INTEGER PRIMARY KEY AUTOINCREMENT, item_id INTEGER NOT NULL, what TEXT);
      WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000)
      INSERT INTO item SELECT i, 'sku-' || i, i % 50, CASE WHEN i % 3 = 0 THEN NULL ELSE 'note ' || i END FROM n
      """;

  @TempDir Path tmp;

  @Test
  void killedFollowerThenCutoverLeavesBothSidesEqual() throws Exception {
    Path db = SyncHarness.create(tmp.resolve("shop.db"), SCHEMA);
    String before = SyncHarness.schema(db);
    TargetUrl url = TestPostgres.newDatabase();
    Process app = writer(db, 200, 240);
    SyncHarness sync = new SyncHarness(db, url, tmp);
    Random random = new Random(20261128);
    for (int kill = 0; kill < 2; kill++) {
      sync.start();
      Thread.sleep(1500 + random.nextInt(3000));
      sync.kill(); // SIGKILL: during the copy, then while following
    }
    sync.start();
    sync.caughtUp(150_000, 3_000); // a loaded 2-core machine copies slowly
    Thread.sleep(1000); // the application goes on writing while followed
    Ferry.Result cut = sync.ferry("cutover", "--json", "--max-freeze", "10s");
    assertThat(cut.exitCode()).as(cut.all() + sync.output()).isZero();
    JsonNode r = new ObjectMapper().readTree(cut.out());
    assertThat(r.get("switched").asBoolean()).isTrue();
    assertThat(r.get("verified").asBoolean()).isTrue();
    assertThat(r.get("freeze_ms").asLong()).isLessThan(10_000);

    assertThat(app.waitFor(30, TimeUnit.SECONDS)).isTrue();
    String written = new String(app.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(written).contains("REFUSED").contains("moved to PostgreSQL");
    Ferry.Result verify = sync.ferry("verify", "--verify", "full");
    assertThat(verify.exitCode()).as(verify.all()).isZero();
    assertThat(sync.status().get("state").asText()).isEqualTo("switched");
    assertThat(sync.status().get("direction").asText()).isEqualTo("to_sqlite");

    assertThat(sync.ferry("sync stop").exitCode()).isZero();
    assertThat(sync.follower().waitFor(10, TimeUnit.SECONDS)).as(sync.output()).isTrue();
    assertThat(SyncHarness.schema(db)).isEqualTo(before);
  }

  static Process writer(Path db, int rate, int seconds) throws Exception {
    return new ProcessBuilder(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m",
                "-cp",
                System.getProperty("java.class.path"),
                AppWriter.class.getName(),
                db.toString(),
                Integer.toString(rate),
                Integer.toString(seconds),
                "7"))
        .redirectErrorStream(true)
        .start();
  }
}
