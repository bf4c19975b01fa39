package dev.ferry.load;

import dev.ferry.postgres.TargetUrl;
import dev.ferry.testing.TestPostgres;
import dev.ferry.value.TableChecksum;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.flywaydb.core.Flyway;

/** What tests of the loader share: a target with the ferry schema, a run, its checkpoints. */
final class LoaderFixture {
  private LoaderFixture() {}

  /** A fresh database with the ferry schema (as every run makes it) and a run to load under. */
  static TargetUrl target() {
    TargetUrl url = TestPostgres.newDatabase();
    try (PostgresTarget t = PostgresTarget.connect(url, 2)) {
      Flyway.configure(TableLoaderTest.class.getClassLoader())
          .dataSource(t.dataSource())
          .schemas("ferry")
          .createSchemas(true)
          .table("schema_history")
          .locations("classpath:db/ferry")
          .load()
          .migrate();
    }
    return url;
  }

  static UUID run(TargetUrl url) throws SQLException {
    UUID run = UUID.randomUUID();
    try (Connection c = TestPostgres.connect(url);
        PreparedStatement ps =
            c.prepareStatement(
                "INSERT INTO ferry.runs (run_id, source, target_schema, state, ferry_version)"
                    + " VALUES (?, 'test', 'public', 'running', 'test')")) {
      ps.setObject(1, run);
      ps.executeUpdate();
    }
    return run;
  }

  /** What the committed checkpoints say was loaded: what a resumed run starts from. */
  static LoadedSoFar committed(TargetUrl url, UUID run) throws SQLException {
    try (Connection c = TestPostgres.connect(url);
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT count(*), max(upto_rowid), coalesce(sum(rows_read), 0),"
                    + " coalesce(sum(rows_written), 0), coalesce(sum(bytes), 0),"
                    + " coalesce(sum(sum_rows), 0), coalesce(sum(sum_value), 0),"
                    + " coalesce(sum(fixed), 0), coalesce(sum(set_aside), 0)"
                    + " FROM ferry.checkpoints WHERE run_id = '"
                    + run
                    + "'")) {
      rs.next();
      return new LoadedSoFar(
          rs.getInt(1),
          rs.getObject(2) == null ? null : rs.getLong(2),
          false,
          rs.getLong(3),
          rs.getLong(4),
          rs.getLong(5),
          new TableChecksum(rs.getLong(6), rs.getBigDecimal(7).toBigIntegerExact()),
          rs.getLong(8),
          rs.getLong(9),
          null);
    }
  }
}
