package dev.ferry.run;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.load.PostgresTarget;
import dev.ferry.postgres.TargetUrl;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Properties;

/**
 * The proof that a run's owner is alive: a PostgreSQL session-level advisory lock keyed by the
 * run's source and target schema, held on a session of its own for the run's whole life. The server
 * releases it when the owner's session ends, whether the owner finished, failed or was killed, so a
 * run whose lock is free is not running. A second migration of the same source into the same
 * schema, a resume and a rollback each take it first and refuse while another holds it, naming the
 * holder (its pid and host are in the session's application_name).
 */
final class RunLease implements AutoCloseable {
  private static final String KEY =
      "hashtextextended('ferry run' || chr(10) || ? || chr(10) || ?, 0)";

  private final PostgresTarget target;
  private final String source;
  private final String schema;
  private Connection session;

  private RunLease(PostgresTarget target, String source, String schema, Connection session) {
    this.target = target;
    this.source = source;
    this.schema = schema;
    this.session = session;
  }

  /**
   * Takes the lease of runs of {@code source} into {@code schema}.
   *
   * @throws FerryException USAGE naming the live run when another process holds it
   */
  static RunLease take(PostgresTarget target, String source, String schema) {
    return take(target, source, schema, open(target.url()));
  }

  /**
   * As {@link #take(PostgresTarget, String, String)}, on the session {@code opening} opened (its
   * failure to connect is thrown here).
   */
  static RunLease take(PostgresTarget target, String source, String schema, Opening opening) {
    return take(target, source, schema, opening.session());
  }

  private static RunLease take(PostgresTarget target, String source, String schema, Connection c) {
    try {
      if (tryLock(c, source, schema)) {
        return new RunLease(target, source, schema, c);
      }
      String holder = holder(c, source, schema);
      c.close();
      throw new FerryException(ErrorCode.USAGE, liveRun(target, source, schema) + holder);
    } catch (SQLException e) {
      closeQuietly(c);
      throw new FerryException(
          ErrorCode.TARGET_UNREACHABLE,
          "cannot take the run's lease in " + target.url().display() + ": " + e.getMessage(),
          e);
    }
  }

  /**
   * Makes sure the lease is still held: a lost connection (the server restarted) released it, so it
   * is taken again; when another process took it meanwhile, this run stops.
   */
  void hold() {
    try {
      if (session.isValid(5)) {
        return;
      }
    } catch (SQLException e) {
      // not valid: take it again below
    }
    closeQuietly(session);
    RunLease again = take(target, source, schema);
    session = again.session;
  }

  /** The session-level lock: free when no live session holds it. */
  private static boolean tryLock(Connection c, String source, String schema) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT pg_try_advisory_lock(" + KEY + ")")) {
      ps.setString(1, source);
      ps.setString(2, schema);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getBoolean(1);
      }
    }
  }

  /** " (pid N on HOST; …)": who holds the lease, from its session's application_name. */
  private static String holder(Connection c, String source, String schema) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT a.application_name, a.pid, to_char(a.backend_start, 'YYYY-MM-DD HH24:MI:SS')"
                + " FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid"
                + " WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1"
                + " AND ((l.classid::bigint << 32) | l.objid::bigint) = "
                + KEY)) {
      ps.setString(1, source);
      ps.setString(2, schema);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return " (it has just finished: try again)";
        }
        String app = rs.getString(1) == null ? "" : rs.getString(1);
        String who = app.startsWith("ferry ") ? app.substring("ferry ".length()) : "a session";
        return " ("
            + who
            + ", PostgreSQL backend "
            + rs.getInt(2)
            + ", connected since "
            + rs.getString(3)
            + " UTC); nothing was changed";
      }
    }
  }

  /** "run ID is still running", or, before it is recorded, "a run of SOURCE … is starting". */
  private static String liveRun(PostgresTarget target, String source, String schema) {
    try (Connection c = target.dataSource().getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT run_id FROM ferry.runs WHERE source = ? AND target_schema = ?"
                    + " AND state = 'running' ORDER BY started_at DESC LIMIT 1")) {
      ps.setString(1, source);
      ps.setString(2, schema);
      try (ResultSet rs = ps.executeQuery()) {
        if (rs.next()) {
          return "run " + rs.getString(1) + " is still running";
        }
      }
    } catch (SQLException e) {
      // no ferry schema yet: the live run has not been recorded
    }
    return "a run of " + source + " into schema " + schema + " is still starting";
  }

  /**
   * The lease's session, opened on a thread of its own while the run connects its pool: measured on
   * the 2-core machine, opening it after the pool was 0.1–0.2 s of the main thread before the first
   * COPY (a new backend, and the driver's first connection in this JVM beside the pool's). Closed
   * unless its session was handed to the lease.
   */
  static final class Opening implements AutoCloseable {
    private final java.util.concurrent.CompletableFuture<Connection> session =
        new java.util.concurrent.CompletableFuture<>();
    private boolean handed;

    private Opening() {}

    /** The session, waiting for it; its failure to connect is thrown as {@link #open} throws it. */
    Connection session() {
      try {
        Connection c = session.join();
        handed = true;
        return c;
      } catch (java.util.concurrent.CompletionException e) {
        if (e.getCause() instanceof RuntimeException r) {
          throw r;
        }
        if (e.getCause() instanceof Error err) {
          throw err;
        }
        throw e;
      }
    }

    @Override
    @SuppressWarnings("FutureReturnValueIgnored") // a failure to connect leaves nothing to close
    public void close() {
      if (!handed) { // the pool failed first: closed now, or once its own attempt has connected
        session.thenAccept(RunLease::closeQuietly);
      }
    }
  }

  /** Starts opening the lease's session for {@code url} (see {@link Opening}). */
  static Opening opening(TargetUrl url) {
    Opening o = new Opening();
    Thread t =
        new Thread(
            () -> {
              try {
                o.session.complete(open(url));
              } catch (Throwable e) { // an Error too: the main thread must not wait forever
                o.session.completeExceptionally(e);
              }
            },
            "ferry-lease-session");
    t.setDaemon(true);
    t.start();
    return o;
  }

  /** A session of its own, outside the pool, named after this process. */
  private static Connection open(TargetUrl url) {
    Properties p = url.properties();
    p.setProperty(
        "ApplicationName", "ferry pid " + ProcessHandle.current().pid() + " on " + host());
    try {
      return DriverManager.getConnection(url.jdbcUrl(), p);
    } catch (SQLException e) {
      throw new FerryException(
          ErrorCode.TARGET_UNREACHABLE,
          "cannot connect to " + url.display() + " for the run's lease: " + firstLine(e),
          e);
    }
  }

  private static String host() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "this host";
    }
  }

  private static String firstLine(SQLException e) {
    String m = String.valueOf(e.getMessage());
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }

  private static void closeQuietly(Connection c) {
    try {
      c.close();
    } catch (SQLException e) {
      // closing a session we no longer need
    }
  }

  /** Ends the session, which releases the lock. */
  @Override
  public void close() {
    closeQuietly(session);
  }
}
