package dev.ferry.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.FerryException;
import org.junit.jupiter.api.Test;

/**
 * {@code ferry serve --write}: PostgREST-style writes on a real PostgreSQL, each recorded in
 * ferry.audit with the rows' old values, undone exactly (the table equal to what it was, row for
 * row), refused with why when the rows changed since; previews and the max-affected guard change
 * nothing; a write needs a filter, a table with a key and --write.
 */
class ExplorerWriteTest {
  private static final String TWEETS = "/api/tables/public/tweets/rows";

  @Test
  void aBulkUpdateIsAuditedWithTheOldValuesAndItsUndoRestoresTheTableExactly() throws Exception {
    WriteFixture f = WriteFixture.get();
    String before = f.snapshot("tweets");
    long expected = f.count("SELECT count(*) FROM tweets WHERE metadata->>'lang' = 'en'");
    assertThat(expected).isPositive();

    WriteFixture.Response r =
        f.send(
            "PATCH",
            TWEETS + "?metadata->>lang=eq.en",
            "{\"url\": \"https://example.org/moved\", \"is_reply\": true}");
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.json().get("updated").asLong()).isEqualTo(expected);
    long audit = r.json().get("audit_id").asLong();
    assertThat(f.count("SELECT count(*) FROM tweets WHERE url = 'https://example.org/moved'"))
        .isEqualTo(expected);

    JsonNode entry = f.send("GET", "/api/audit/" + audit, null).json();
    assertThat(entry.get("action").asText()).isEqualTo("update");
    assertThat(entry.get("table").asText()).isEqualTo("public.tweets");
    assertThat(entry.get("filters").get("metadata->>lang").get(0).asText()).isEqualTo("eq.en");
    assertThat(entry.get("rows").asLong()).isEqualTo(expected);
    assertThat(entry.get("who").asText())
        .startsWith("token hmac:")
        .doesNotContain(WriteFixture.TOKEN);
    assertThat(entry.get("changes")).hasSize((int) expected);
    assertThat(entry.get("changes").get(0).get("old").get("url").asText())
        .isNotEqualTo("https://example.org/moved");

    WriteFixture.Response undo = f.send("POST", "/api/audit/" + audit + "/undo", null);
    assertThat(undo.status()).as(undo.body()).isEqualTo(200);
    assertThat(undo.json().get("rows").asLong()).isEqualTo(expected);
    assertThat(f.snapshot("tweets")).isEqualTo(before);

    // the undo is itself audited, and an entry is undone once
    JsonNode undoEntry =
        f.send("GET", "/api/audit/" + undo.json().get("audit_id").asLong(), null).json();
    assertThat(undoEntry.get("undoes").asLong()).isEqualTo(audit);
    assertThat(f.send("GET", "/api/audit/" + audit, null).json().get("undone_by").asLong())
        .isEqualTo(undo.json().get("audit_id").asLong());
    assertThat(f.send("POST", "/api/audit/" + audit + "/undo", null).status()).isEqualTo(409);
  }

  @Test
  void aBulkDeleteIsUndoneByInsertingTheSameRowsAgain() throws Exception {
    WriteFixture f = WriteFixture.get();
    String before = f.snapshot("tweets");
    WriteFixture.Response r =
        f.send("DELETE", TWEETS + "?is_reply=is.true&metadata->>lang=eq.fr", null);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    long deleted = r.json().get("deleted").asLong();
    assertThat(deleted).isPositive();
    assertThat(f.snapshot("tweets")).isNotEqualTo(before);

    WriteFixture.Response undo =
        f.send("POST", "/api/audit/" + r.json().get("audit_id").asLong() + "/undo", null);
    assertThat(undo.status()).as(undo.body()).isEqualTo(200);
    assertThat(undo.json().get("rows").asLong()).isEqualTo(deleted);
    assertThat(f.snapshot("tweets")).isEqualTo(before);
  }

  @Test
  void insertAndWritesByKeyAreAuditedAndUndone() throws Exception {
    WriteFixture f = WriteFixture.get();
    String before = f.snapshot("users");
    WriteFixture.Response in =
        f.send(
            "POST",
            "/api/tables/public/users/rows",
            "[{\"id\": \"w-1\", \"username\": \"writer one\"}, {\"id\": \"w-2\", \"username\": \"writer two\"}]");
    assertThat(in.status()).as(in.body()).isEqualTo(200);
    assertThat(in.json().get("inserted").asLong()).isEqualTo(2);
    assertThat(f.count("SELECT count(*) FROM users WHERE created_at IS NOT NULL AND id LIKE 'w-%'"))
        .as("left-out columns get their defaults")
        .isEqualTo(2);

    WriteFixture.Response patch =
        f.send("PATCH", "/api/tables/public/users/rows/w-1", "{\"username\": \"renamed\"}");
    assertThat(patch.json().get("updated").asLong()).as(patch.body()).isEqualTo(1);
    WriteFixture.Response delete = f.send("DELETE", "/api/tables/public/users/rows/w-2", null);
    assertThat(delete.json().get("deleted").asLong()).as(delete.body()).isEqualTo(1);
    assertThat(f.send("DELETE", "/api/tables/public/users/rows/nobody", null).status())
        .isEqualTo(404);

    // undone in reverse order, the table is as before
    for (WriteFixture.Response r : new WriteFixture.Response[] {delete, patch, in}) {
      WriteFixture.Response u =
          f.send("POST", "/api/audit/" + r.json().get("audit_id").asLong() + "/undo", null);
      assertThat(u.status()).as(u.body()).isEqualTo(200);
    }
    assertThat(f.snapshot("users")).isEqualTo(before);
  }

  @Test
  void anUndoIsRefusedWithTheKeysWhenTheRowsChangedSinceAndChangesNothing() throws Exception {
    WriteFixture f = WriteFixture.get();
    String id =
        f.send("GET", "/api/tables/public/tweets/rows?limit=1&order=id", null)
            .json()
            .get("rows")
            .get(0)
            .get("id")
            .asText();
    WriteFixture.Response first = f.send("PATCH", TWEETS + "/" + id, "{\"url\": \"first\"}");
    WriteFixture.Response second = f.send("PATCH", TWEETS + "/" + id, "{\"url\": \"second\"}");
    String between = f.snapshot("tweets");

    WriteFixture.Response refused =
        f.send("POST", "/api/audit/" + first.json().get("audit_id").asLong() + "/undo", null);
    assertThat(refused.status()).isEqualTo(409);
    assertThat(refused.json().get("error").asText()).contains("changed since").contains(id);
    assertThat(f.snapshot("tweets")).isEqualTo(between);

    assertThat(
            f.send("POST", "/api/audit/" + second.json().get("audit_id").asLong() + "/undo", null)
                .status())
        .isEqualTo(200);
    assertThat(
            f.send("POST", "/api/audit/" + first.json().get("audit_id").asLong() + "/undo", null)
                .status())
        .isEqualTo(200);
    assertThat(f.count("SELECT count(*) FROM tweets WHERE url IN ('first', 'second')")).isZero();
  }

  @Test
  void aPreviewCountsWithoutWritingAndTheGuardRefusesTooManyRows() throws Exception {
    WriteFixture f = WriteFixture.get();
    String before = f.snapshot("tweets");
    long audits = f.count("SELECT count(*) FROM ferry.audit");
    long all = f.count("SELECT count(*) FROM tweets");

    WriteFixture.Response preview =
        f.send("DELETE", TWEETS + "?id=not.is.null", null, "Prefer", "tx=rollback");
    assertThat(preview.status()).as(preview.body()).isEqualTo(200);
    assertThat(preview.json().get("deleted").asLong()).isEqualTo(all);
    assertThat(preview.json().get("audit_id").isNull()).isTrue();
    assertThat(preview.json().get("preview").asBoolean()).isTrue();

    WriteFixture.Response guarded =
        f.send(
            "PATCH", TWEETS + "?id=not.is.null", "{\"url\": \"x\"}", "Prefer", "max-affected=10");
    assertThat(guarded.status()).isEqualTo(409);
    assertThat(guarded.json().get("error").asText()).contains(all + " rows would change");

    assertThat(f.snapshot("tweets")).isEqualTo(before);
    assertThat(f.count("SELECT count(*) FROM ferry.audit")).isEqualTo(audits);
  }

  @Test
  void writesWithoutAFilterOrOnTablesWithoutAKeyOrBreakingAConstraintAreRefusedWithWhy()
      throws Exception {
    WriteFixture f = WriteFixture.get();
    String before = f.snapshot("tweets");
    WriteFixture.Response none = f.send("DELETE", TWEETS, null);
    assertThat(none.status()).isEqualTo(400);
    assertThat(none.json().get("error").asText()).contains("at least one filter");
    assertThat(f.send("PATCH", TWEETS + "?limit=5", "{\"url\": \"x\"}").status()).isEqualTo(400);
    assertThat(f.send("PATCH", TWEETS + "?id=eq.1", "{\"nope\": 1}").status()).isEqualTo(400);
    assertThat(f.send("PATCH", TWEETS + "?id=eq.1", "{\"id\": \"2\"}").status()).isEqualTo(400);
    assertThat(f.send("PATCH", TWEETS + "?id=eq.1", "not json").status()).isEqualTo(400);
    assertThat(f.send("PATCH", TWEETS + "?id=gte.0", "{\"created_at\": \"soon\"}").status())
        .isEqualTo(400);
    WriteFixture.Response orphan =
        f.send("PATCH", TWEETS + "?id=gte.0", "{\"user_id\": \"no such user\"}");
    assertThat(orphan.status()).as(orphan.body()).isIn(200, 409); // 409 when the FK is VALID
    if (orphan.status() == 200) {
      f.send("POST", "/api/audit/" + orphan.json().get("audit_id").asLong() + "/undo", null);
    }
    assertThat(f.snapshot("tweets")).isEqualTo(before);

    f.execute("CREATE TABLE IF NOT EXISTS public.keyless (a integer, b text)");
    f.execute("INSERT INTO public.keyless VALUES (1, 'x')");
    Thread.sleep(3_100); // the catalog reloads on a miss at most every 3 s
    WriteFixture.Response keyless =
        f.send("DELETE", "/api/tables/public/keyless/rows?a=eq.1", null);
    assertThat(keyless.status()).as(keyless.body()).isEqualTo(405);
    assertThat(keyless.json().get("error").asText()).contains("no primary key");
    assertThat(f.count("SELECT count(*) FROM public.keyless")).isEqualTo(1);
  }

  @Test
  void writeModeNeedsATokenEvenOnLoopback() throws Exception {
    WriteFixture f = WriteFixture.get();
    assertThatThrownBy(() -> new ServeOptions(f.url, 0, "127.0.0.1", null, 5_000, true))
        .isInstanceOf(FerryException.class)
        .hasMessageContaining("--write")
        .hasMessageContaining("--token");
  }
}
