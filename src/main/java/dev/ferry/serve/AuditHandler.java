package dev.ferry.serve;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.audit.AuditLog;
import io.javalin.http.Context;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import javax.sql.DataSource;

/**
 * {@code GET /api/audit} (newest first; {@code limit}, {@code before=ID}), {@code GET
 * /api/audit/ID} (the entry and the first 1,000 rows it changed, with their values before and
 * after) and {@code POST /api/audit/ID/undo} (write mode: reverses the entry, refusing with 409 and
 * the keys when its rows changed since; {@code Prefer: tx=rollback} previews).
 */
final class AuditHandler {
  private static final int ROWS_SHOWN = 1_000;
  private final DataSource db;
  private final JsonOut out;

  AuditHandler(DataSource db, JsonOut out) {
    this.db = db;
    this.out = out;
  }

  void list(Context ctx) throws IOException, SQLException {
    int limit = number(ctx.queryParam("limit"), "limit", 50);
    if (limit < 1 || limit > 1000) {
      throw new FerryException(ErrorCode.USAGE, "limit: use a whole number from 1 to 1000");
    }
    String b = ctx.queryParam("before");
    Long before = b == null ? null : (long) number(b, "before", 0);
    out.respond(
        ctx,
        "audit",
        g -> {
          List<AuditLog.Entry> entries;
          try (Connection c = db.getConnection()) {
            entries = AuditLog.list(c, limit, before);
          }
          g.writeStartObject();
          g.writeArrayFieldStart("entries");
          for (AuditLog.Entry e : entries) {
            g.writeStartObject();
            fields(g, e);
            g.writeEndObject();
          }
          g.writeEndArray();
          g.writeEndObject();
        });
  }

  void entry(Context ctx) throws IOException, SQLException {
    long id = id(ctx);
    out.respond(
        ctx,
        "audit",
        g -> {
          try (Connection c = db.getConnection()) {
            AuditLog.Entry e = AuditLog.entry(c, id);
            if (e == null) {
              throw new FerryException(
                  ErrorCode.NOT_FOUND, "no audit entry " + id + " (GET /api/audit lists them)");
            }
            g.writeStartObject();
            fields(g, e);
            g.writeArrayFieldStart("changes");
            for (AuditLog.RowChange r : AuditLog.rows(c, id, ROWS_SHOWN)) {
              g.writeStartObject();
              g.writeFieldName("key");
              g.writeRawValue(r.key());
              raw(g, "old", r.oldRow());
              raw(g, "new", r.newRow());
              g.writeEndObject();
            }
            g.writeEndArray();
            g.writeBooleanField("changes_capped", e.rows() > ROWS_SHOWN);
            g.writeEndObject();
          }
        });
  }

  void undo(Context ctx) throws IOException, SQLException {
    long id = id(ctx);
    WriteRequest request = WriteRequest.of(ctx);
    String who = WriteRoutes.who(ctx);
    AuditLog.Change change =
        WriteHandler.inTransaction(db, request, c -> AuditLog.undo(c, who, id));
    out.respond(
        ctx,
        "write",
        g -> {
          g.writeStartObject();
          g.writeNumberField("undone", id);
          if (request.preview) {
            g.writeNullField("audit_id");
          } else {
            g.writeNumberField("audit_id", change.auditId());
          }
          g.writeNumberField("rows", change.rows());
          g.writeBooleanField("preview", request.preview);
          g.writeEndObject();
        });
  }

  private static void fields(JsonGenerator g, AuditLog.Entry e) throws IOException {
    g.writeNumberField("audit_id", e.id());
    g.writeStringField("at", e.at());
    g.writeStringField("who", e.who());
    g.writeStringField("action", e.action());
    g.writeStringField("table", e.schema() + "." + e.table());
    JsonOut.names(g, "key", e.keyColumns());
    raw(g, "filters", e.filters());
    raw(g, "values", e.newValues());
    g.writeNumberField("rows", e.rows());
    g.writeStringField("reason", e.reason());
    nullable(g, "undoes", e.undoes());
    nullable(g, "undone_by", e.undoneBy());
  }

  private static void raw(JsonGenerator g, String field, String json) throws IOException {
    g.writeFieldName(field);
    if (json == null) {
      g.writeNull();
    } else {
      g.writeRawValue(json);
    }
  }

  private static void nullable(JsonGenerator g, String field, Long v) throws IOException {
    if (v == null) {
      g.writeNullField(field);
    } else {
      g.writeNumberField(field, v);
    }
  }

  private static long id(Context ctx) {
    String s = ctx.pathParam("id");
    if (!s.matches("[0-9]{1,18}")) {
      throw new FerryException(
          ErrorCode.NOT_FOUND,
          "no audit entry '" + RowQuery.abbreviate(s) + "' (ids are whole numbers)");
    }
    return Long.parseLong(s);
  }

  private static int number(String s, String name, int otherwise) {
    if (s == null) {
      return otherwise;
    }
    if (!s.matches("[0-9]{1,9}")) {
      throw new FerryException(ErrorCode.USAGE, name + ": a whole number");
    }
    return Integer.parseInt(s);
  }
}
