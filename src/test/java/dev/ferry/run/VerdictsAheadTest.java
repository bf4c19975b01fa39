package dev.ferry.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.examples.DirtyExample;
import dev.ferry.examples.TwitterExample;
import dev.ferry.postgres.TargetUrl;
import dev.ferry.testing.Ferry;
import dev.ferry.testing.TestPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Verifying while the keys stage runs (two or more jobs) reaches the same verdicts, counts and
 * notes as verifying after it, one thing at a time (--jobs 1): on dirty data whose keys stage
 * weakens and refuses constraints, and on a clean database with foreign keys, views and jsonb.
 */
class VerdictsAheadTest {
  @TempDir Path tmp;

  @Test
  void verdictsComputedDuringTheKeysStageAreThoseComputedAfterIt() throws Exception {
    Path dirty = tmp.resolve("dirty.db");
    DirtyExample.write(dirty, 40);
    Path tweets = tmp.resolve("tweets.db");
    TwitterExample.write(tweets, 300, 4);
    for (Path db : List.of(dirty, tweets)) {
      List<List<String>> byJobs = new ArrayList<>();
      List<Integer> exits = new ArrayList<>();
      for (String jobs : List.of("1", "2")) {
        TargetUrl url = TestPostgres.newDatabase();
        Ferry.Result r = Ferry.run("migrate", db, "--target", url.display(), "-q", "--jobs", jobs);
        exits.add(r.exitCode());
        byJobs.add(tableResults(url));
      }
      assertThat(byJobs.get(1)).as(db.toString()).isEqualTo(byJobs.get(0)).isNotEmpty();
      assertThat(exits.get(1)).isEqualTo(exits.get(0));
    }
  }

  /** Every recorded table line but its time and run id. */
  private static List<String> tableResults(TargetUrl url) throws Exception {
    List<String> lines = new ArrayList<>();
    try (Connection c = TestPostgres.connect(url);
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT source_table, target_table, rows_read, rows_written, rows_in_target,"
                    + " bytes, verdict, notes::text, rows_fixed, rows_set_aside"
                    + " FROM ferry.table_results ORDER BY source_table")) {
      while (rs.next()) {
        StringBuilder b = new StringBuilder();
        for (int i = 1; i <= 10; i++) {
          b.append(rs.getString(i)).append(" | ");
        }
        lines.add(b.toString());
      }
    }
    return lines;
  }
}
