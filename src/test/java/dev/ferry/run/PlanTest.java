package dev.ferry.run;

import static dev.ferry.testing.TestPostgres.count;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.examples.TwitterExample;
import dev.ferry.postgres.TargetUrl;
import dev.ferry.testing.Ferry;
import dev.ferry.testing.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ferry plan writes a plan that ferry migrate runs exactly; editing it changes the migration. */
class PlanTest {
  @TempDir Path tmp;

  @Test
  void everyPriorityOfTheConfigRoundTripsThroughThePlan() throws Exception {
    Path db = tmp.resolve("analytics.db");
    dev.ferry.testing.Sqlite.create(
        db,
        "CREATE TABLE events (v TEXT);\nCREATE TABLE users (v TEXT);\nCREATE TABLE jobs (v TEXT)");
    Path config = tmp.resolve("in.yaml");
    Files.writeString(
        config, "priorities:\n  analytics: P0\n  analytics.events: P2\n  analytics.Jobs: P1\n");
    Path plan = tmp.resolve("plan/ferry.yaml");
    Ferry.Result p = Ferry.run("plan", db, "-o", plan, "--config", config);
    assertThat(p.exitCode()).as(p.all()).isZero();
    dev.ferry.config.FerryConfig in = dev.ferry.config.FerryConfig.load(config);
    dev.ferry.config.FerryConfig out = dev.ferry.config.FerryConfig.load(plan);
    for (String table : new String[] {null, "events", "users", "jobs"}) {
      assertThat(out.priority("analytics", table))
          .as("priority of " + table)
          .isEqualTo(in.priority("analytics", table));
    }
    assertThat(out.priority("analytics", "events")).isEqualTo("P2");
  }

  @Test
  void thePlanRunsExactlyAndEditsAreFollowed() throws Exception {
    Path db = tmp.resolve("app.db");
    TwitterExample.write(db, 400, 2);
    Path plan = tmp.resolve("out/ferry.yaml");
    Files.createDirectories(plan.getParent());
    Files.writeString(tmp.resolve("keep.yaml"), "keep: [referral_codes, referral_usage_log]\n");
    Ferry.Result p = Ferry.run("plan", db, "-o", plan, "--config", tmp.resolve("keep.yaml"));
    assertThat(p.exitCode()).as(p.all()).isZero();
    String yaml = Files.readString(plan);
    assertThat(yaml)
        .contains(
            "tweets.metadata: jsonb  # declared TEXT; 400 text → jsonb (every value is a JSON object or array)")
        .contains("analysis_queue.job_id: bigint  # declared INTEGER")
        .contains("  - referral_codes\n  - referral_usage_log\ncasts:")
        .doesNotContain("referral_codes.code:");
    String sql = Files.readString(plan.resolveSibling("V1__ferry_initial.sql"));
    assertThat(sql)
        .contains("CREATE TABLE \"public\".\"tweets\"")
        .contains("\"metadata\" jsonb")
        .contains("CREATE INDEX \"idx_analysis_queue_priority\"");
    JsonNode routing =
        new ObjectMapper().readTree(plan.resolveSibling("ferry-routing.json").toFile());
    assertThat(routing.toString())
        .contains("\"table\":\"referral_codes\",\"store\":\"sqlite\"")
        .contains(
            "\"table\":\"tweets\",\"store\":\"postgresql\",\"schema\":\"public\",\"name\":\"tweets\"");

    TargetUrl url = TestPostgres.newDatabase();
    Ferry.Result m = Ferry.run("migrate", db, "--config", plan, "--target", url.display(), "-q");
    assertThat(m.exitCode()).as(m.all()).isZero();
    assertThat(count(url, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"))
        .as("kept tables stay out")
        .isEqualTo(8);

    Files.writeString(
        plan, yaml.replace("analysis_queue.priority: bigint", "analysis_queue.priority: smallint"));
    TargetUrl again = TestPostgres.newDatabase();
    assertThat(
            Ferry.run("migrate", db, "--config", plan, "--target", again.display(), "-q")
                .exitCode())
        .isZero();
    assertThat(
            count(
                again,
                "SELECT count(*) FROM information_schema.columns WHERE table_name = 'analysis_queue'"
                    + " AND column_name = 'priority' AND data_type = 'smallint'"))
        .isOne();
    try (Connection c = TestPostgres.connect(again);
        Statement st = c.createStatement()) {
      st.execute("SELECT 1");
    }
  }
}
