package dev.ferry.sync;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.plan.PlanOptions;
import dev.ferry.plan.Planner;
import dev.ferry.plan.TablePlan;
import dev.ferry.source.sqlite.SqliteSource;
import dev.ferry.testing.Sqlite;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A NULL in a declared key (SQLite allows it in any PRIMARY KEY but INTEGER PRIMARY KEY) cannot be
 * looked up by key: SQLite's quote(NULL) is the text NULL, which matches nothing on either side and
 * would make a range page past the rows after it. Cutover's pass must see no key for such a row
 * (the table is then checked whole, count and checksum) and treat a logged key holding NULL alike.
 */
class HeldRowsNullKeyTest {
  @TempDir Path tmp;

  @Test
  void aRowWithANullInItsKeyHasNoKeyAndNoRowIsSkipped() throws Exception {
    Path db =
        Sqlite.create(
            tmp.resolve("tags.db"),
            """
            CREATE TABLE tag (post INTEGER NOT NULL, tag TEXT, v TEXT, PRIMARY KEY (post, tag));
            INSERT INTO tag VALUES (1, 'a', 'one'), (1, NULL, 'no tag'), (1, 'b', 'two'),
              (2, NULL, 'none'), (2, 'c', 'three');
            """);
    SqliteSource s = SqliteSource.open(db);
    TablePlan t = Planner.plan(s, s.readSchema(), PlanOptions.defaults()).tables().get(0);
    List<String> keys = new ArrayList<>();
    try (Connection lite = Sqlite.open(db)) {
      String after = null;
      for (int pages = 0; pages < 10; pages++) {
        HeldRows rows = HeldRows.range(lite, t, after, 2);
        if (rows.size() == 0) {
          break;
        }
        while (rows.next()) {
          keys.add(rows.key());
        }
        if (rows.lastKey() == null) {
          break; // what IncrementalVerify does: the table goes to the whole-table check
        }
        after = rows.lastKey();
      }
    }
    // SQLite orders NULL first: the first row read has no key, so the pass stops comparing by key
    assertThat(keys).first().isNull();
    assertThat(IncrementalVerify.hasNull("1,NULL")).isTrue();
    assertThat(IncrementalVerify.hasNull("'NULL',1")).isFalse();
    assertThat(IncrementalVerify.hasNull("'a,NULL',2")).isFalse();
  }
}
