package dev.ferry.run;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.testing.Ferry;
import dev.ferry.testing.Sqlite;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InspectTest {
  @TempDir Path tmp;

  private Path db() {
    StringBuilder s =
        new StringBuilder(
            "CREATE TABLE jobs (id INTEGER PRIMARY KEY, priority INTEGER, note TEXT);\n");
    for (int i = 0; i < 499; i++) {
      s.append("INSERT INTO jobs (priority, note) VALUES (").append(i % 5).append(", 'n');\n");
    }
    s.append("INSERT INTO jobs (priority, note) VALUES ('high', CAST(X'6E756C006C' AS TEXT))");
    return Sqlite.create(tmp.resolve("jobs.db"), s.toString());
  }

  @Test
  void showsStoredTypesChoicesAndAnomalies() {
    Ferry.Result r = Ferry.run("inspect", db());
    assertThat(r.exitCode()).as(r.all()).isZero();
    assertThat(r.out())
        .contains("jobs (500 rows)")
        .contains("priority: 499 integer, 1 text (e.g. 'high') → text")
        .contains("note: 1 values PostgreSQL cannot hold as stored → text");
  }

  @Test
  void jsonForMachines() throws Exception {
    Ferry.Result r = Ferry.run("inspect", db(), "--json");
    assertThat(r.exitCode()).isZero();
    JsonNode priority =
        new ObjectMapper().readTree(r.out()).get("tables").get(0).get("columns").get(1);
    assertThat(priority.get("name").asText()).isEqualTo("priority");
    assertThat(priority.get("stored").get("integer").asLong()).isEqualTo(499);
    assertThat(priority.get("stored").get("text").asLong()).isEqualTo(1);
    assertThat(priority.get("type").asText()).isEqualTo("text");
    assertThat(priority.get("anomaly").asText()).contains("499 integer, 1 text");
  }
}
