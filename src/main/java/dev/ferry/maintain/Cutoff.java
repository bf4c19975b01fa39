package dev.ferry.maintain;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.postgres.SqlStates;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The bound of one retention rule: rows whose column is before {@code value} are expired. It is
 * computed by PostgreSQL, once per run, from one {@code now()} minus the rule's age in the
 * database's own session TimeZone, so that a rule means what {@code column < now() - interval
 * 'AGE'} means in a session of that database: a {@code timestamp} (without time zone) is read as a
 * wall time of that zone and a {@code date} as its midnight there (PostgreSQL's own casts). The
 * value is typed like the column (an instant in UTC for timestamptz, a wall time for timestamp, a
 * day for date), so comparing with it no longer depends on any session's zone, and an index on the
 * column serves the comparison.
 *
 * <p>The zone is the database's and role's TimeZone setting ({@code ALTER DATABASE|ROLE … SET
 * TimeZone}) when there is one. Without one it is UTC, as Ferry's migrations write a timestamp
 * without time zone, and never the zone the connection was opened with: the PostgreSQL JDBC driver
 * sends the JVM's (TZ, or {@code -Duser.timezone}), so a cron job under another TZ would move the
 * cutoff by hours.
 *
 * @param value the bound as PostgreSQL text of the column's type
 * @param zone the session TimeZone the bound was computed in
 */
record Cutoff(String value, String zone) {
  /** The bound as a report prints it: an instant ends in Z; a wall time or day names its zone. */
  String shown() {
    return value.endsWith("Z") ? value : value + " (" + zone + ")";
  }

  /**
   * The cutoff of each target, from one {@code now()} of the server so that every rule of a run
   * uses the same instant. USAGE when PostgreSQL cannot subtract an age.
   */
  static List<Cutoff> of(Connection c, List<RetentionTarget> targets) throws SQLException {
    List<Cutoff> out = new ArrayList<>();
    c.setAutoCommit(false);
    try {
      String zone = databaseZone(c);
      for (RetentionTarget t : targets) {
        try (PreparedStatement ps = c.prepareStatement(bound(t.type()))) {
          ps.setString(1, t.rule().interval());
          try (ResultSet rs = ps.executeQuery()) {
            rs.next();
            out.add(new Cutoff(rs.getString(1), zone));
          }
        }
      }
      c.commit();
    } catch (SQLException e) {
      c.rollback();
      if (SqlStates.of(e) == SqlStates.Kind.BAD_VALUE) { // an interval PostgreSQL cannot subtract
        throw new FerryException(
            ErrorCode.USAGE, "a retention age does not fit: " + e.getMessage(), e);
      }
      throw e;
    } finally {
      c.setAutoCommit(true);
    }
    return out;
  }

  /**
   * The query of a bound of that column type: rows are expired exactly when {@code column < now() -
   * interval} in this session, which for a date means its midnight here is before that instant, so
   * the bound is the first day whose midnight is not.
   */
  private static String bound(String type) {
    String x = "(now() - CAST(? AS interval))";
    return switch (type) {
      case "timestamptz" ->
          "SELECT to_char(" + x + " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')";
      case "timestamp" ->
          "SELECT to_char(CAST(" + x + " AS timestamp), 'YYYY-MM-DD\"T\"HH24:MI:SS.US')";
      default ->
          "SELECT to_char(CASE WHEN CAST(CAST(x AS date) AS timestamptz) < x THEN CAST(x AS date)"
              + " + 1 ELSE CAST(x AS date) END, 'YYYY-MM-DD') FROM (SELECT "
              + x
              + " AS x) n";
    };
  }

  /**
   * Sets this transaction's TimeZone to the database's and role's setting, if any (the most
   * specific wins, as at login: database and role, role, database, all), else to UTC, and returns
   * the zone in force. Not the connection's own: the JDBC driver sends the JVM's zone, so a cron
   * job under another TZ would move the cutoff by hours; UTC is what Ferry's migrations write into
   * a timestamp without time zone.
   */
  private static String databaseZone(Connection c) throws SQLException {
    try (PreparedStatement ps =
            c.prepareStatement(
                "SELECT set_config('TimeZone', coalesce((SELECT substr(s.cfg, strpos(s.cfg, '=') +"
                    + " 1) FROM pg_db_role_setting d CROSS JOIN LATERAL unnest(d.setconfig) s(cfg)"
                    + " WHERE d.setdatabase IN (0, (SELECT oid FROM pg_database WHERE datname ="
                    + " current_database())) AND d.setrole IN (0, (SELECT oid FROM pg_roles WHERE"
                    + " rolname = session_user)) AND lower(s.cfg) LIKE 'timezone=%' ORDER BY"
                    + " d.setdatabase <> 0 AND d.setrole <> 0 DESC, d.setrole <> 0 DESC,"
                    + " d.setdatabase <> 0 DESC LIMIT 1), 'UTC'), true)");
        ResultSet rs = ps.executeQuery()) {
      rs.next();
    }
    try (PreparedStatement ps = c.prepareStatement("SELECT current_setting('TimeZone')");
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getString(1);
    }
  }
}
