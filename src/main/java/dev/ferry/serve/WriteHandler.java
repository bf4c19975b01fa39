package dev.ferry.serve;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.audit.AuditLog;
import dev.ferry.postgres.SqlStates;
import io.javalin.http.Context;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * The write endpoints ({@code ferry serve --write}), PostgREST-style: {@code PATCH
 * /api/tables/S/T/rows?FILTERS} with a JSON object of new values, {@code DELETE} the same, {@code
 * POST …/rows} with one row or an array, and {@code PATCH}/{@code DELETE …/rows/KEY} for one row by
 * its primary key. Each runs in one explicitly read-write transaction under the statement timeout,
 * recorded in ferry.audit with the rows' old values ({@link AuditLog}); {@code Prefer: tx=rollback}
 * previews (the count, rolled back) and {@code Prefer: max-affected=N} refuses (rolled back) when
 * more rows would change. {@link WriteRoutes} decides who may call them.
 */
final class WriteHandler {
  private final DataSource db;
  private final Catalog catalog;
  private final JsonOut out;

  WriteHandler(DataSource db, Catalog catalog, JsonOut out) {
    this.db = db;
    this.catalog = catalog;
    this.out = out;
  }

  /** One audited write on a connection of its own transaction. */
  interface Write {
    AuditLog.Change apply(Connection c) throws SQLException;
  }

  void update(Context ctx) throws IOException, SQLException {
    Catalog.Table t = table(ctx);
    AuditLog.Where where = WriteRequest.where(t, ctx.queryParamMap());
    Map<String, String> values = WriteRequest.values(ctx);
    run(
        ctx,
        "updated",
        c -> AuditLog.update(c, WriteRoutes.who(ctx), t.schema(), t.name(), where, values),
        false);
  }

  void delete(Context ctx) throws IOException, SQLException {
    Catalog.Table t = table(ctx);
    AuditLog.Where where = WriteRequest.where(t, ctx.queryParamMap());
    run(
        ctx,
        "deleted",
        c -> AuditLog.delete(c, WriteRoutes.who(ctx), t.schema(), t.name(), where, null),
        false);
  }

  void insert(Context ctx) throws IOException, SQLException {
    Catalog.Table t = table(ctx);
    if (!ctx.queryParamMap().isEmpty()) {
      throw new FerryException(
          ErrorCode.USAGE, "an insert takes no filters: send the rows in the body");
    }
    List<Map<String, String>> rows = WriteRequest.rows(ctx);
    run(
        ctx,
        "inserted",
        c -> AuditLog.insert(c, WriteRoutes.who(ctx), t.schema(), t.name(), rows),
        false);
  }

  void updateByKey(Context ctx) throws IOException, SQLException {
    Catalog.Table t = table(ctx);
    AuditLog.Where where = byKey(ctx, t);
    Map<String, String> values = WriteRequest.values(ctx);
    run(
        ctx,
        "updated",
        c -> AuditLog.update(c, WriteRoutes.who(ctx), t.schema(), t.name(), where, values),
        true);
  }

  void deleteByKey(Context ctx) throws IOException, SQLException {
    Catalog.Table t = table(ctx);
    AuditLog.Where where = byKey(ctx, t);
    run(
        ctx,
        "deleted",
        c -> AuditLog.delete(c, WriteRoutes.who(ctx), t.schema(), t.name(), where, null),
        true);
  }

  private Catalog.Table table(Context ctx) {
    Catalog.Table t = catalog.table(ctx.pathParam("schema"), ctx.pathParam("table"));
    if (!t.kind().equals("table")) {
      throw new FerryException(
          ErrorCode.WRITE_DISABLED,
          t.schema() + "." + t.name() + " is a view: ferry writes only to tables");
    }
    if (t.primaryKey().isEmpty()) {
      throw new FerryException(
          ErrorCode.WRITE_DISABLED,
          t.schema()
              + "."
              + t.name()
              + " has no primary key: ferry writes only rows it can name by key, so that every"
              + " change can be undone (ALTER TABLE … ADD PRIMARY KEY gives it one)");
    }
    return t;
  }

  /** The row {@code …/rows/KEY} names: a one-column primary key equal to KEY. */
  private static AuditLog.Where byKey(Context ctx, Catalog.Table t) {
    if (!ctx.queryParamMap().isEmpty()) {
      throw new FerryException(
          ErrorCode.USAGE, "…/rows/KEY names one row: give no filters with it");
    }
    if (t.primaryKey().size() != 1) {
      throw new FerryException(
          ErrorCode.USAGE,
          t.schema()
              + "."
              + t.name()
              + " has a key of several columns ("
              + String.join(", ", t.primaryKey())
              + "): name the row with filters, …/rows?"
              + String.join("&", t.primaryKey().stream().map(k -> k + "=eq.VALUE").toList()));
    }
    return WriteRequest.where(
        t, Map.of(t.primaryKey().get(0), List.of("eq." + ctx.pathParam("key"))));
  }

  /**
   * Runs {@code write} in its own read-write transaction and answers {@code {FIELD: n, "audit_id",
   * "preview"}}; rolled back for a preview, past the max-affected guard, or (one row by key) when
   * no row has the key.
   */
  private void run(Context ctx, String field, Write write, boolean oneRow)
      throws IOException, SQLException {
    WriteRequest request = WriteRequest.of(ctx);
    AuditLog.Change change = inTransaction(db, request, write);
    if (oneRow && change.rows() == 0) {
      throw new FerryException(
          ErrorCode.NOT_FOUND,
          "no row of "
              + ctx.pathParam("schema")
              + "."
              + ctx.pathParam("table")
              + " has that key; nothing was changed");
    }
    catalog.reload(); // counts and estimates move on
    if (request.preview) {
      ctx.header("Preference-Applied", "tx=rollback");
    }
    out.respond(
        ctx,
        "write",
        g -> {
          g.writeStartObject();
          g.writeNumberField(field, change.rows());
          if (request.preview) {
            g.writeNullField("audit_id");
          } else {
            g.writeNumberField("audit_id", change.auditId());
          }
          g.writeBooleanField("preview", request.preview);
          g.writeEndObject();
        });
  }

  /** {@code write} in one transaction: committed unless previewed or past the guard. */
  static AuditLog.Change inTransaction(DataSource db, WriteRequest request, Write write)
      throws SQLException {
    try (Connection c = db.getConnection()) {
      try {
        AuditLog.begin(c);
        AuditLog.Change change = write.apply(c);
        if (change.rows() > request.maxAffected) {
          throw new FerryException(
              ErrorCode.CONFLICT,
              change.rows()
                  + " rows would change, more than Prefer: max-affected="
                  + request.maxAffected
                  + " allows; nothing was changed");
        }
        if (request.preview) {
          c.rollback();
        } else {
          c.commit();
        }
        return change;
      } catch (SQLException e) {
        c.rollback();
        throw refused(e);
      } catch (RuntimeException e) {
        c.rollback();
        throw e;
      }
    }
  }

  /** What a refused write means for the client, by its SQL state; the rest as any query's. */
  private static SQLException refused(SQLException e) {
    String first = e.getMessage() == null ? "" : e.getMessage().lines().findFirst().orElse("");
    switch (SqlStates.of(e)) {
      case CONSTRAINT_VIOLATED ->
          throw new FerryException(
              ErrorCode.CONFLICT,
              "the change breaks a constraint; nothing was changed: " + first,
              e);
      case ACCESS_DENIED, READ_ONLY ->
          throw new FerryException(
              ErrorCode.FORBIDDEN, "the database refused the write: " + first, e);
      default -> {
        return e; // Errors.fromSql classifies it like any query's failure
      }
    }
  }
}
