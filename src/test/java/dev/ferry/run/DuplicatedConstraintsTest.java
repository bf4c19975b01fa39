package dev.ferry.run;

import static dev.ferry.testing.TestPostgres.count;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.postgres.TargetUrl;
import dev.ferry.testing.Ferry;
import dev.ferry.testing.TestPostgres;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A SQLite table may declare the same CHECK, FOREIGN KEY or UNIQUE twice. PostgreSQL names unnamed
 * constraints itself, so a second copy would not fail but be made beside the first; a resumed run
 * cannot tell such a copy from the interrupted run's. The target has each once, whether the run was
 * fresh or resumed after its keys were lost, and the notes say the source declares it twice.
 */
class DuplicatedConstraintsTest {
  private static final List<String> CHECKS =
      List.of("CHECK (n > 0)", "CHECK (n < 100)", "CONSTRAINT c_even CHECK (n % 2 = 0)");
  private static final List<String> KEYS =
      List.of(
          "FOREIGN KEY (p_id) REFERENCES p (id)",
          "FOREIGN KEY (p_id) REFERENCES p (id) ON DELETE CASCADE",
          "FOREIGN KEY (q_id) REFERENCES p (id)");
  private static final List<String> UNIQUES = List.of("UNIQUE (v)", "UNIQUE (v, n)");

  @TempDir Path tmp;

  @Test
  void freshAndResumedRunsMakeEachDeclaredConstraintOnceAndSaySo() throws Exception {
    Random random = new Random(20261128);
    for (int round = 0; round < 3; round++) {
      List<String> declared = new ArrayList<>();
      Set<String> distinct = new LinkedHashSet<>();
      boolean twice = false;
      for (List<String> pool : List.of(CHECKS, KEYS, UNIQUES)) {
        for (int i = 0, n = 2 + random.nextInt(3); i < n; i++) {
          String d = pool.get(random.nextInt(pool.size()));
          twice |= !distinct.add(d) && pool != UNIQUES;
          declared.add(d);
        }
      }
      if (!twice) { // every round declares a CHECK or FOREIGN KEY twice
        declared.add(declared.get(0));
      }
      Collections.shuffle(declared, random);
      String ddl =
          "CREATE TABLE p (id INTEGER PRIMARY KEY);\n"
              + "INSERT INTO p VALUES (1), (2);\n"
              + "CREATE TABLE c (id INTEGER PRIMARY KEY, p_id INTEGER, q_id INTEGER, n INTEGER,"
              + " v TEXT, "
              + String.join(", ", declared)
              + ");\n"
              + "INSERT INTO c VALUES (1, 1, 2, 4, 'a'), (2, 2, 1, 6, 'b');";
      Path db = dev.ferry.testing.Sqlite.create(tmp.resolve("d" + round + ".db"), ddl);

      TargetUrl fresh = TestPostgres.newDatabase();
      Ferry.Result first = Ferry.run("migrate", db, "--target", fresh.display(), "-q");
      assertThat(first.exitCode()).as(ddl + "\n" + first.all()).isZero();

      TargetUrl resumed = TestPostgres.newDatabase();
      assertThat(Ferry.run("migrate", db, "--target", resumed.display(), "-q").exitCode()).isZero();
      try (var c = TestPostgres.connect(resumed);
          var st = c.createStatement()) { // as if killed before the keys stage
        for (String con : constraintNames(resumed)) {
          st.execute("ALTER TABLE public.c DROP CONSTRAINT " + con);
        }
        st.execute("UPDATE ferry.runs SET state = 'running', finished_at = NULL");
      }
      Ferry.Result again = Ferry.run("migrate", db, "--target", resumed.display());
      assertThat(again.exitCode()).as(ddl + "\n" + again.all()).isZero();
      assertThat(again.out()).contains("Resuming run");

      List<String> made = definitions(fresh);
      assertThat(made).as(ddl).hasSize(distinct.size() + 1); // and the PRIMARY KEY
      assertThat(definitions(resumed)).as(ddl).isEqualTo(made);
      assertThat(notes(fresh))
          .as(ddl)
          .contains("the source declares it more than once")
          .isEqualTo(notes(resumed));
    }
  }

  /** The constraints of table c a kill before the keys stage would leave unmade. */
  private static List<String> constraintNames(TargetUrl url) throws Exception {
    return rows(
        url,
        "SELECT quote_ident(conname) FROM pg_constraint WHERE conrelid = 'public.c'::regclass"
            + " AND contype <> 'p'");
  }

  private static List<String> definitions(TargetUrl url) throws Exception {
    return rows(
        url,
        "SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = 'public.c'::regclass"
            + " ORDER BY 1");
  }

  private static String notes(TargetUrl url) throws Exception {
    assertThat(count(url, "SELECT count(*) FROM ferry.runs WHERE state = 'succeeded'")).isOne();
    return String.join(
        "\n", rows(url, "SELECT notes::text FROM ferry.table_results WHERE source_table = 'c'"));
  }

  private static List<String> rows(TargetUrl url, String sql) throws Exception {
    List<String> out = new ArrayList<>();
    try (var c = TestPostgres.connect(url);
        var st = c.createStatement();
        var rs = st.executeQuery(sql)) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }
}
