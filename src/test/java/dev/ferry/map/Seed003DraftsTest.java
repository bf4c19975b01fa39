package dev.ferry.map;

import static dev.ferry.testing.TestPostgres.count;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.examples.FileStoresExample;
import dev.ferry.postgres.TargetUrl;
import dev.ferry.testing.Ferry;
import dev.ferry.testing.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * README's "Into your own schema" example, as written there: seed 003's drafts/ into its own
 * translations table and last_tweet_id.txt into system_state.
 */
class Seed003DraftsTest {
  static final String DDL =
      """
      CREATE SCHEMA app;
      CREATE TABLE app.translations (
        id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        tweet_id         varchar(20) NOT NULL,
        translated_text  text NOT NULL,
        target_language  varchar(5) NOT NULL,
        status           text NOT NULL CHECK (status IN ('pending', 'posted', 'failed', 'draft')),
        character_count  integer,
        created_at       timestamptz NOT NULL,
        UNIQUE (tweet_id, target_language));
      CREATE TABLE app.system_state (
        key        text PRIMARY KEY,
        value      text NOT NULL,
        updated_at timestamptz);
      """;

  static final String YAML =
      """
      map:
        drafts:
          into: app.translations
          columns: {original_tweet_id: tweet_id}
          drop: [file, modified, original_text, status, doc]
          set: {status: draft}
        file_state:
          into: app.system_state
          columns: {modified: updated_at}
          drop: [path, final_newline]
      """;

  @TempDir Path tmp;

  @Test
  void draftsBecomeTranslationsAndTheLastTweetIdASystemStateRow() throws Exception {
    Path bot = tmp.resolve("bot");
    FileStoresExample.bot(bot, 50, 3);
    Path config = tmp.resolve("ferry.yaml");
    Files.writeString(config, YAML);
    TargetUrl url = TestPostgres.newDatabase();
    IntoYourOwnSchemaTest.sql(url, DDL);
    Ferry.Result r = Ferry.run("migrate", bot, "--target", url.display(), "--config", config);
    assertThat(r.exitCode()).as(r.all()).isIn(0, 3);
    assertThat(r.out()).contains("app.translations").contains("VERIFIED (rows)");
    assertThat(count(url, "SELECT count(*) FROM app.translations WHERE status = 'draft'"))
        .isEqualTo(50);
    assertThat(
            count(
                url,
                "SELECT count(*) FROM app.system_state WHERE key = 'last_tweet_id'"
                    + " AND value = '1800000000000000050'"))
        .isOne();
  }
}
