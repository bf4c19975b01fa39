package dev.ferry.map;

import static dev.ferry.testing.TestPostgres.count;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.postgres.TargetUrl;
import dev.ferry.testing.Ferry;
import dev.ferry.testing.Sqlite;
import dev.ferry.testing.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ferry inspect}, {@code ferry plan} and {@code migrate --dry-run} show what ferry.yaml's
 * map: will do before anything is written: per source column, what it stores, its target column and
 * declared type, the transform and conversion on the way; the constants, dropped columns and
 * columns their defaults fill; and the problems the run would stop on, with exit 1 (not ready).
 */
class MappingShownBeforeTheRunTest {
  static final String DDL =
      "CREATE SCHEMA app;"
          + "CREATE TABLE app.posts ("
          + "  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
          + "  body varchar(280) NOT NULL,"
          + "  posted_at timestamptz NOT NULL,"
          + "  score integer,"
          + "  status text NOT NULL,"
          + "  imported_at timestamptz DEFAULT now(),"
          + "  note text)";

  static final String READY =
      """
      map:
        tweets:
          into: app.posts
          columns: {text: body, created_at: posted_at}
          drop: [id, url]
          set: {status: live}
          transform: {created_at: {date: rfc1123}, score: empty_as_null}
      """;

  @TempDir Path tmp;
  Path db;
  TargetUrl url;

  @BeforeEach
  void source() throws Exception {
    StringBuilder s =
        new StringBuilder(
            "CREATE TABLE tweets (id INTEGER PRIMARY KEY, text TEXT, created_at TEXT, score TEXT,"
                + " url TEXT);\n");
    for (int i = 1; i <= 30; i++) {
      s.append(
          String.format(
              "INSERT INTO tweets (text, created_at, score, url) VALUES ('t%d', 'Tue, 3 Jun 2008"
                  + " %02d:05:30 GMT', '%s', 'http://x/%d');%n",
              i, i % 24, i % 3 == 0 ? "" : String.valueOf(i), i));
    }
    db = Sqlite.create(tmp.resolve("feed.db"), s.toString());
    url = TestPostgres.newDatabase();
    IntoYourOwnSchemaTest.sql(url, DDL);
  }

  private Path yaml(String text) throws Exception {
    Path f = tmp.resolve("ferry.yaml");
    Files.writeString(f, text);
    return f;
  }

  @Test
  void inspectShowsEachColumnsTargetTypeAndConversion() throws Exception {
    Ferry.Result r = Ferry.run("inspect", db, "--config", yaml(READY), "--target", url.display());
    assertThat(r.exitCode()).as(r.all()).isZero();
    assertThat(r.out())
        .contains("tweets → app.posts  (first 30 rows: all convert)")
        .containsPattern(
            "created_at +TEXT \\(RFC 1123 dates\\) +→ posted_at timestamp with time zone +via date")
        .containsPattern("score +TEXT \\(10 ''\\) +→ score integer +via empty_as_null")
        .containsPattern("text +TEXT +→ body character varying\\(280\\) +at most 280 characters")
        .contains("set: status = 'live' (text)")
        .contains("dropped (not carried): id, url")
        .contains("filled by their defaults: id, imported_at")
        .contains("left NULL (nothing fills them): note")
        .contains("Ready: the mapping passes the check at start.");
    assertThat(count(url, "SELECT count(*) FROM app.posts")).isZero();
    assertThat(count(url, "SELECT count(*) FROM pg_namespace WHERE nspname = 'ferry'"))
        .as("showing the mapping writes nothing")
        .isZero();
  }

  @Test
  void inspectJsonAddsTheMappingAndKeepsItsFields() throws Exception {
    Ferry.Result r =
        Ferry.run("inspect", db, "--config", yaml(READY), "--target", url.display(), "--json");
    assertThat(r.exitCode()).as(r.all()).isZero();
    JsonNode j = new ObjectMapper().readTree(r.out());
    assertThat(j.has("source")).isTrue();
    assertThat(j.get("tables").get(0).get("columns")).isNotEmpty();
    JsonNode t = j.get("mapping").get("tables").get(0);
    assertThat(t.get("into").asText()).isEqualTo("app.posts");
    assertThat(t.get("dropped").toString()).isEqualTo("[\"id\",\"url\"]");
    assertThat(t.get("problems")).isEmpty();
    JsonNode first = t.get("columns").get(0);
    assertThat(first.get("source").asText()).isEqualTo("text");
    assertThat(t.get("columns").toString())
        .contains("\"target\":\"posted_at\"")
        .contains("\"type\":\"timestamp with time zone\"");
  }

  @Test
  void aMappingThatWouldStopTheRunIsListedAndNotReady() throws Exception {
    String broken =
        """
        map:
          tweets:
            into: app.posts
            columns: {text: body}
            transform: {score: empty_as_null}
        """;
    Path out = tmp.resolve("plan/ferry.yaml");
    Ferry.Result plan =
        Ferry.run("plan", db, "--config", yaml(broken), "--target", url.display(), "-o", out);
    assertThat(plan.exitCode()).as(plan.all()).isEqualTo(1);
    assertThat(plan.out())
        .contains("problem: map.tweets (line 2): source columns that go nowhere")
        .contains("created_at, url")
        .contains("NOT NULL without a default that nothing fills: posted_at, status")
        .contains("id is a generated or GENERATED ALWAYS identity column")
        .contains("Not ready: 3 problems");
    assertThat(Files.readString(out))
        .as("the written plan keeps the mapping and shows it")
        .contains("tweets: {\"into\":\"app.posts\",\"columns\":{\"text\":\"body\"}")
        .contains("#   tweets → app.posts");

    Ferry.Result dry =
        Ferry.run("migrate", db, "--config", yaml(broken), "--target", url.display(), "--dry-run");
    assertThat(dry.exitCode()).as(dry.all()).isEqualTo(1);
    assertThat(dry.out())
        .contains("--     problem: map.tweets")
        .contains("--   Not ready: 3 problems");
  }

  @Test
  void theDryRunShowsTheMappingInsteadOfATableOfFerrysOwn() throws Exception {
    Ferry.Result dry =
        Ferry.run("migrate", db, "--config", yaml(READY), "--target", url.display(), "--dry-run");
    assertThat(dry.exitCode()).as(dry.all()).isZero();
    assertThat(dry.out())
        .contains("--   tweets → app.posts")
        .containsPattern("--     created_at .*→ posted_at timestamp with time zone")
        .doesNotContain("CREATE TABLE public.tweets")
        .doesNotContain("CREATE TABLE \"public\".\"tweets\"");
    assertThat(count(url, "SELECT count(*) FROM app.posts")).isZero();
  }

  @Test
  void valuesThatWouldNotConvertAreCountedOnTheFirstRows() throws Exception {
    String noEmptyAsNull = READY.replace(", score: empty_as_null", "");
    Ferry.Result r =
        Ferry.run("inspect", db, "--config", yaml(noEmptyAsNull), "--target", url.display());
    assertThat(r.exitCode()).as("a value that does not fit follows --on-bad-value").isZero();
    assertThat(r.out())
        .contains("(first 30 rows: 10 would not convert and follow --on-bad-value)")
        .containsPattern(
            "would not convert, e.g. row \\{\"id\":3\\}, column score: \"\" is not a whole number");
  }

  @Test
  void theLoadOrderAndTheForeignKeysCheckedBeforeTheInsertAreShown() throws Exception {
    IntoYourOwnSchemaTest.sql(
        url,
        "CREATE TABLE app.authors (id bigint PRIMARY KEY, name text);"
            + "ALTER TABLE app.posts ADD COLUMN author bigint"
            + " CONSTRAINT posts_author_fkey REFERENCES app.authors (id)");
    Path two =
        Sqlite.create(
            tmp.resolve("two.db"),
            """
            CREATE TABLE tweets (id INTEGER PRIMARY KEY, text TEXT, user_id INTEGER);
            CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT);
            INSERT INTO users VALUES (1, 'ann');
            INSERT INTO tweets VALUES (1, 'hi', 1);
            """);
    String yaml =
        """
        map:
          tweets:
            into: app.posts
            columns: {text: body, user_id: author}
            drop: [id]
            set: {status: live, posted_at: '2024-01-01T00:00:00Z'}
          users:
            into: app.authors
        """;
    Ferry.Result r = Ferry.run("inspect", two, "--config", yaml(yaml), "--target", url.display());
    assertThat(r.exitCode()).as(r.all()).isZero();
    assertThat(r.out())
        .contains(
            "foreign key posts_author_fkey: (author) → app.authors (id), checked before the insert"
                + " (orphans follow --on-bad-value)")
        .contains("Load order: app.authors, then app.posts");
    Ferry.Result dry =
        Ferry.run("migrate", two, "--config", yaml(yaml), "--target", url.display(), "--dry-run");
    assertThat(dry.exitCode()).as(dry.all()).isZero();
    assertThat(dry.out()).contains("--   Load order: app.authors, then app.posts");
  }

  @Test
  void inACycleOnlyAReferenceToATableLoadedLaterWaitsForTheCommit() throws Exception {
    IntoYourOwnSchemaTest.sql(
        url,
        "CREATE TABLE app.teams (id bigint PRIMARY KEY, captain bigint);"
            + "CREATE TABLE app.members (id bigint PRIMARY KEY, team bigint CONSTRAINT"
            + " members_team_fkey REFERENCES app.teams (id) DEFERRABLE);"
            + "ALTER TABLE app.teams ADD CONSTRAINT teams_captain_fkey FOREIGN KEY (captain)"
            + " REFERENCES app.members (id) DEFERRABLE");
    Path club =
        Sqlite.create(
            tmp.resolve("club.db"),
            """
            CREATE TABLE teams (id INTEGER PRIMARY KEY, captain INTEGER);
            CREATE TABLE members (id INTEGER PRIMARY KEY, team INTEGER);
            INSERT INTO teams VALUES (1, 10);
            INSERT INTO members VALUES (10, 1);
            """);
    String yaml =
        """
        map:
          teams:
            into: app.teams
          members:
            into: app.members
        """;
    Ferry.Result r = Ferry.run("inspect", club, "--config", yaml(yaml), "--target", url.display());
    assertThat(r.exitCode()).as(r.all()).isZero();
    assertThat(r.out())
        .contains(
            "foreign key teams_captain_fkey: (captain) → app.members (id), checked by PostgreSQL"
                + " at the cycle's commit")
        .contains(
            "foreign key members_team_fkey: (team) → app.teams (id), checked before the insert")
        .contains("app.teams + app.members (a foreign-key cycle: one transaction)");
  }

  @Test
  void theDryRunOfAnAppendShowsTheImplicitMapIntoATableWhoseColumnsDiffer() throws Exception {
    IntoYourOwnSchemaTest.sql(
        url,
        "CREATE TABLE app.tweets (id integer PRIMARY KEY, text varchar(40), created_at text,"
            + " score text, url text)");
    Ferry.Result dry =
        Ferry.run(
            "migrate",
            db,
            "--target",
            url.display(),
            "--schema",
            "app",
            "--if-exists",
            "append",
            "--dry-run");
    assertThat(dry.exitCode()).as(dry.all()).isZero();
    assertThat(dry.out())
        .contains(
            "--   tweets → app.tweets  (first 30 rows: all convert)  implicit: --if-exists"
                + " append into a table whose columns differ")
        .containsPattern(
            "--     text +TEXT +→ text character varying\\(40\\) +at most 40 characters")
        .doesNotContain("CREATE TABLE app.tweets");
    assertThat(count(url, "SELECT count(*) FROM app.tweets")).isZero();
  }
}
