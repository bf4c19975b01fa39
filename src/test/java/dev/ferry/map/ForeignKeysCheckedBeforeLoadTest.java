package dev.ferry.map;

import static dev.ferry.map.IntoYourOwnSchemaTest.sql;
import static dev.ferry.testing.TestPostgres.count;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.postgres.TargetUrl;
import dev.ferry.testing.Ferry;
import dev.ferry.testing.Sqlite;
import dev.ferry.testing.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The foreign keys of mapped target tables are checked before any row reaches them: tables load
 * parents before children whatever order ferry.yaml lists them in, a child row whose reference is
 * in neither the parent table nor the rows mapped into it follows --on-bad-value (set aside
 * verbatim with the constraint, the column and the missing key; or the run stops naming the first
 * one), a reference with a NULL column is not checked, and no table fails at its INSERT for a
 * foreign key. The orphans are compared with an oracle computed here from the generated rows.
 */
class ForeignKeysCheckedBeforeLoadTest {
  @TempDir Path tmp;

  private static final String TARGET_DDL =
      "CREATE TABLE shops (region text, code int, name text, PRIMARY KEY (region, code));"
          + "CREATE TABLE orders (id int PRIMARY KEY, region text, shop int, note text,"
          + " CONSTRAINT orders_shop_fk FOREIGN KEY (region, shop) REFERENCES shops (region, code));"
          + "INSERT INTO shops VALUES ('north', 1000, 'the user''s own shop');";

  /** Generated shops and orders: some orders reference no shop, some have a NULL in the key. */
  private record Generated(Path db, Set<Integer> orphans) {}

  private Generated generate(long seed, String name) {
    Random r = new Random(seed);
    String[] regions = {"north", "south", "east"};
    Set<String> shops = new HashSet<>(Set.of("north/1000")); // the user's own row
    StringBuilder s =
        new StringBuilder(
            "CREATE TABLE src_orders (id INTEGER PRIMARY KEY, region TEXT, shop INTEGER, note TEXT);\n"
                + "CREATE TABLE src_shops (region TEXT, code INTEGER, name TEXT,"
                + " PRIMARY KEY (region, code));\n");
    for (String region : regions) {
      for (int code = 1; code <= 20; code++) {
        if (r.nextInt(3) > 0) {
          shops.add(region + "/" + code);
          s.append(
              String.format("INSERT INTO src_shops VALUES ('%s', %d, 'shop');%n", region, code));
        }
      }
    }
    Set<Integer> orphans = new TreeSet<>();
    for (int id = 1; id <= 300; id++) {
      String region = r.nextInt(10) == 0 ? null : regions[r.nextInt(regions.length)];
      Integer shop = r.nextInt(10) == 0 ? null : (r.nextInt(25) == 0 ? 1000 : 1 + r.nextInt(22));
      if (region != null && shop != null && !shops.contains(region + "/" + shop)) {
        orphans.add(id);
      }
      s.append(
          String.format(
              "INSERT INTO src_orders VALUES (%d, %s, %s, 'order %d');%n",
              id, region == null ? "NULL" : "'" + region + "'", shop, id));
    }
    return new Generated(Sqlite.create(tmp.resolve(name), s.toString()), orphans);
  }

  private Path yaml(String text) throws Exception {
    Path f = tmp.resolve("ferry.yaml");
    Files.writeString(f, text);
    return f;
  }

  private static final String CHILD_FIRST =
      """
      map:
        src_orders: {into: orders}
        src_shops: {into: shops}
      """;

  @Test
  void orphansAreSetAsideBeforeTheLoadAndEqualTheOracle() throws Exception {
    for (long seed = 1; seed <= 3; seed++) {
      Generated g = generate(seed, "shop" + seed + ".db");
      assertThat(g.orphans()).as("the generator makes orphans").isNotEmpty();
      TargetUrl url = TestPostgres.newDatabase();
      sql(url, TARGET_DDL);
      Ferry.Result r =
          Ferry.run("migrate", g.db(), "--target", url.display(), "--config", yaml(CHILD_FIRST));
      assertThat(r.exitCode()).as(r.all()).isEqualTo(3);
      assertThat(r.out())
          .as("parents load first although ferry.yaml lists the child first")
          .containsSubsequence("Mapped src_shops into public.shops", "Mapped src_orders")
          .contains("SET ASIDE " + g.orphans().size())
          .doesNotContain("MISMATCH");
      Map<Integer, String> rejected = new LinkedHashMap<>();
      try (Connection c = TestPostgres.connect(url);
          Statement st = c.createStatement();
          ResultSet rs =
              st.executeQuery(
                  "SELECT (row_key->>'id')::int, reason, original_row->>'note' FROM ferry.rejects"
                      + " WHERE source_table = 'src_orders' ORDER BY 1")) {
        while (rs.next()) {
          rejected.put(rs.getInt(1), rs.getString(2));
          assertThat(rs.getString(3)).as("kept verbatim").isEqualTo("order " + rs.getInt(1));
        }
      }
      assertThat(rejected.keySet()).as("seed " + seed).isEqualTo(g.orphans());
      assertThat(rejected.values())
          .allSatisfy(
              reason ->
                  assertThat(reason)
                      .contains("foreign key orders_shop_fk")
                      .contains("column region, column shop")
                      .containsPattern("\\(region, shop\\)=\\([a-z]+, [0-9]+\\) is not in")
                      .contains("public.shops"));
      assertThat(count(url, "SELECT count(*) FROM orders")).isEqualTo(300 - g.orphans().size());
    }
  }

  @Test
  void failStopsNamingTheFirstOrphanAndKeepsNothingOfItsTable() throws Exception {
    Generated g = generate(7, "shop.db");
    TargetUrl url = TestPostgres.newDatabase();
    sql(url, TARGET_DDL);
    Ferry.Result r =
        Ferry.run(
            "migrate",
            g.db(),
            "--target",
            url.display(),
            "--config",
            yaml(CHILD_FIRST),
            "--on-bad-value",
            "fail");
    assertThat(r.exitCode()).as(r.all()).isEqualTo(5);
    int first = g.orphans().iterator().next();
    assertThat(r.all())
        .contains("src_orders")
        .contains("row {\"id\":" + first + "}")
        .contains("foreign key orders_shop_fk")
        .doesNotContain("violates foreign key constraint");
    assertThat(count(url, "SELECT count(*) FROM orders")).isZero();
  }

  @Test
  void aTableReferencingItselfLosesTheOrphansAndEveryRowBelowThem() throws Exception {
    Random r = new Random(11);
    StringBuilder s =
        new StringBuilder("CREATE TABLE staff (id INTEGER PRIMARY KEY, boss INTEGER);\n");
    Map<Integer, Integer> boss = new LinkedHashMap<>();
    for (int id = 1; id <= 200; id++) {
      Integer b =
          id == 1 || r.nextInt(8) == 0
              ? null
              : (r.nextInt(15) == 0 ? 5000 + id : r.nextInt(id - 1) + 1);
      boss.put(id, b);
      s.append(String.format("INSERT INTO staff VALUES (%d, %s);%n", id, b));
    }
    // the oracle: a row stays when its chain of bosses ends at NULL or the user's row 9999
    Set<Integer> kept = new HashSet<>();
    for (int id : boss.keySet()) { // bosses have smaller ids: they are decided first
      Integer b = boss.get(id);
      if (b == null || b == 9999 || kept.contains(b)) {
        kept.add(id);
      }
    }
    assertThat(kept).hasSizeLessThan(200);
    Path db = Sqlite.create(tmp.resolve("staff.db"), s.toString());
    TargetUrl url = TestPostgres.newDatabase();
    sql(
        url,
        "CREATE TABLE people (id int PRIMARY KEY, boss int REFERENCES people);"
            + "INSERT INTO people VALUES (9999, NULL)");
    Ferry.Result out =
        Ferry.run(
            "migrate",
            db,
            "--target",
            url.display(),
            "--config",
            yaml("map:\n  staff: {into: people}\n"));
    assertThat(out.exitCode()).as(out.all()).isEqualTo(3);
    assertThat(out.out()).contains("SET ASIDE " + (200 - kept.size())).doesNotContain("MISMATCH");
    Set<Integer> in = new HashSet<>();
    try (Connection c = TestPostgres.connect(url);
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT id FROM people WHERE id <> 9999")) {
      while (rs.next()) {
        in.add(rs.getInt(1));
      }
    }
    assertThat(in).isEqualTo(kept);
  }

  private static final String CYCLE =
      "CREATE TABLE teams (id int PRIMARY KEY, lead int);"
          + "CREATE TABLE members (id int PRIMARY KEY, team int REFERENCES teams %1$s);"
          + "ALTER TABLE teams ADD CONSTRAINT teams_lead_fk FOREIGN KEY (lead)"
          + " REFERENCES members %1$s;";

  private Path cycleSource() {
    return Sqlite.create(
        tmp.resolve("teams.db"),
        """
        CREATE TABLE t (id INTEGER PRIMARY KEY, lead INTEGER);
        CREATE TABLE m (id INTEGER PRIMARY KEY, team INTEGER);
        INSERT INTO t VALUES (1, 10), (2, 20);
        INSERT INTO m VALUES (10, 1), (20, 2), (30, 1);
        """);
  }

  @Test
  void aCycleLoadsInOneTransactionWhenDeferrableAndIsRefusedAtStartOtherwise() throws Exception {
    Path db = cycleSource();
    Path config = yaml("map:\n  t: {into: teams}\n  m: {into: members}\n");
    TargetUrl plain = TestPostgres.newDatabase();
    sql(plain, String.format(CYCLE, ""));
    Ferry.Result refused =
        Ferry.run("migrate", db, "--target", plain.display(), "--config", config);
    assertThat(refused.exitCode()).as(refused.all()).isEqualTo(1);
    assertThat(refused.all())
        .contains("t, m go into tables that reference each other in a cycle")
        .contains("ALTER CONSTRAINT \"teams_lead_fk\" DEFERRABLE")
        .contains("nothing was changed");
    assertThat(count(plain, "SELECT count(*) FROM teams")).isZero();

    TargetUrl deferrable = TestPostgres.newDatabase();
    sql(deferrable, String.format(CYCLE, "DEFERRABLE"));
    Ferry.Result r = Ferry.run("migrate", db, "--target", deferrable.display(), "--config", config);
    assertThat(r.exitCode()).as(r.all()).isZero();
    assertThat(count(deferrable, "SELECT count(*) FROM members")).isEqualTo(3);
    assertThat(count(deferrable, "SELECT count(*) FROM teams")).isEqualTo(2);
  }
}
