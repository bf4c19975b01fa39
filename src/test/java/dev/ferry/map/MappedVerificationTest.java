package dev.ferry.map;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.config.FerryConfig;
import dev.ferry.postgres.TargetUrl;
import dev.ferry.source.sqlite.SqliteSource;
import dev.ferry.testing.Ferry;
import dev.ferry.testing.TestPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Verification of a mapped table compares the source, read again and converted again, with the rows
 * the run inserted: any row changed, removed or added among them afterwards is a mismatch that
 * names the row.
 */
class MappedVerificationTest {
  @TempDir Path tmp;

  @Test
  void aChangedMissingOrForeignRowIsAMismatchNamingIt() throws Exception {
    IntoYourOwnSchemaTest fixture = new IntoYourOwnSchemaTest();
    fixture.tmp = tmp;
    Path db = fixture.drafts(30, "");
    Path yaml = fixture.yaml(IntoYourOwnSchemaTest.MAP);
    TargetUrl url = TestPostgres.newDatabase();
    IntoYourOwnSchemaTest.sql(url, IntoYourOwnSchemaTest.APP_DDL);
    Ferry.Result r = Ferry.run("migrate", db, "--target", url.display(), "--config", yaml);
    assertThat(r.exitCode()).as(r.all()).isZero();

    assertThat(verify(db, yaml, url).ok()).isTrue();
    IntoYourOwnSchemaTest.sql(
        url, "UPDATE app.translations SET body = 'changed' WHERE tweet_id = '175007'");
    MappedVerdict changed = verify(db, yaml, url);
    assertThat(changed.ok()).isFalse();
    assertThat(String.join("\n", changed.notes())).contains("175007").contains("changed");

    IntoYourOwnSchemaTest.sql(url, "DELETE FROM app.translations WHERE tweet_id = '175007'");
    MappedVerdict gone = verify(db, yaml, url);
    assertThat(gone.ok()).isFalse();
    assertThat(gone.inTarget()).isEqualTo(29);
    assertThat(String.join("\n", gone.notes())).contains("not in app.translations");
  }

  private static MappedVerdict verify(Path db, Path yaml, TargetUrl url) throws Exception {
    PGSimpleDataSource ds = new PGSimpleDataSource();
    try (Connection c = TestPostgres.connect(url);
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT run_id, rows_written FROM ferry.mapped_tables WHERE source_table = 'drafts'")) {
      rs.next();
      UUID run = rs.getObject(1, UUID.class);
      long written = rs.getLong(2);
      ds.setURL(c.getMetaData().getURL());
      ds.setUser(c.getMetaData().getUserName());
      SqliteSource source = SqliteSource.open(db);
      Mappings m = Mappings.resolve(FerryConfig.load(yaml).map(), source.readSchema(), ds);
      return Mappings.verify(ds, source, m.tables().get(0), run, written, true);
    }
  }
}
