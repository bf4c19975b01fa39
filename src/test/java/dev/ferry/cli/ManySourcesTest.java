package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.postgres.TargetUrl;
import dev.ferry.testing.Ferry;
import dev.ferry.testing.Sqlite;
import dev.ferry.testing.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many sources in one command: verify finds each where migrate put it (--schema-per-source,
 * schemas:), and sources that would collide are refused before anything is read or loaded.
 */
class ManySourcesTest {
  @TempDir Path tmp;

  private Path store(String dir, String name, int rows) throws Exception {
    Files.createDirectories(tmp.resolve(dir));
    StringBuilder sql = new StringBuilder("CREATE TABLE items (id INTEGER PRIMARY KEY, v TEXT)");
    for (int i = 0; i < rows; i++) {
      sql.append(";\nINSERT INTO items (v) VALUES ('").append(name).append(i).append("')");
    }
    return Sqlite.create(tmp.resolve(dir).resolve(name + ".db"), sql.toString());
  }

  @Test
  void verifyChecksEverySourceInTheSchemaMigratePutItIn() throws Exception {
    TargetUrl url = TestPostgres.newDatabase();
    Path config = tmp.resolve("ferry.yaml");
    Files.writeString(config, "schemas:\n  kg: knowledge_graph\n");
    Object[] sources = {store("s", "memory", 3), store("s", "kg", 4), store("s", "cache", 5)};
    Object[] flags = {"--schema-per-source", "--config", config, "--target", url.display()};
    Ferry.Result migrated = Ferry.run(concat(concat(new Object[] {"migrate"}, sources), flags));
    assertThat(migrated.exitCode()).as(migrated.all()).isZero();

    Ferry.Result verified = Ferry.run(concat(concat(new Object[] {"verify"}, sources), flags));
    assertThat(verified.exitCode()).as(verified.all()).isZero();
    assertThat(verified.out())
        .contains("(schema knowledge_graph)")
        .contains("Verified 3 sources: every one equals its source");

    try (Connection c = TestPostgres.connect(url);
        Statement st = c.createStatement()) {
      st.execute("DELETE FROM knowledge_graph.items WHERE id = 2");
    }
    Ferry.Result differs = Ferry.run(concat(concat(new Object[] {"verify"}, sources), flags));
    assertThat(differs.exitCode()).as(differs.all()).isEqualTo(4);
    assertThat(differs.out()).contains("1 not equal: " + sources[1] + " (exit 4)");
  }

  @Test
  void theSameFileTwiceIsRefusedBeforeAnythingIsLoaded() throws Exception {
    TargetUrl url = TestPostgres.newDatabase();
    Path a = store("s", "memory", 2);
    Path again = tmp.resolve("s").resolve("..").resolve("s").resolve("memory.db");
    for (Object[] twice : new Object[][] {{a, a}, {a, again}}) {
      Ferry.Result r = Ferry.run("migrate", twice[0], twice[1], "--target", url.display());
      assertThat(r.exitCode()).as(r.all()).isEqualTo(1);
      assertThat(r.err()).contains(a.toString()).contains("name it once");
    }
    assertThat(TestPostgres.count(url, "SELECT count(*) FROM pg_namespace WHERE nspname = 'ferry'"))
        .as("nothing was created")
        .isZero();
  }

  @Test
  void twoFilesOfOneNameNeverMergeIntoOneSchema() throws Exception {
    TargetUrl url = TestPostgres.newDatabase();
    Path x = store("x", "memory", 2);
    Path y = store("y", "memory", 3);
    Ferry.Result r = Ferry.run("migrate", x, y, "--schema-per-source", "--target", url.display());
    assertThat(r.exitCode()).as(r.all()).isEqualTo(1);
    assertThat(r.err())
        .contains(x.toString())
        .contains(y.toString())
        .contains("would both go into schema memory")
        .contains("rename one of the files");
    Ferry.Result v = Ferry.run("verify", x, y, "--schema-per-source", "--target", url.display());
    assertThat(v.exitCode()).isEqualTo(1);

    Path other = store("y", "mem-ory", 1); // schema name mem_ory, from another name
    Path config = tmp.resolve("ferry.yaml");
    Files.writeString(config, "schemas:\n  mem-ory: memory\n");
    Ferry.Result named =
        Ferry.run("migrate", other, x, "--schema-per-source", "--config", config, "--dry-run");
    assertThat(named.exitCode()).as(named.all()).isEqualTo(1);
    assertThat(named.err()).contains("would both go into schema memory");
    assertThat(
            TestPostgres.count(url, "SELECT count(*) FROM pg_namespace WHERE nspname = 'memory'"))
        .isZero();
  }

  private static Object[] concat(Object[] a, Object[] b) {
    Object[] all = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }
}
