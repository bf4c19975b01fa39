package dev.ferry.serve;

import com.fasterxml.jackson.core.JsonGenerator;
import io.javalin.http.Context;
import java.io.IOException;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/tables} (every table and view with its columns, key, count and verdict) and
 * {@code GET /api/tables/S/T} (the same for one, with its foreign keys both ways and indexes).
 */
final class TablesHandler {
  private final Catalog catalog;
  private final JsonOut out;

  TablesHandler(Catalog catalog, JsonOut out) {
    this.catalog = catalog;
    this.out = out;
  }

  void tables(Context ctx) throws IOException, SQLException {
    List<Catalog.Table> all = catalog.tables();
    out.respond(
        ctx,
        null,
        g -> {
          g.writeStartObject();
          g.writeArrayFieldStart("tables");
          for (Catalog.Table t : all) {
            summary(g, t);
            g.writeEndObject();
          }
          g.writeEndArray();
          g.writeEndObject();
        });
  }

  void table(Context ctx) throws IOException, SQLException {
    Catalog.Table t = catalog.table(ctx.pathParam("schema"), ctx.pathParam("table"));
    out.respond(
        ctx,
        null,
        g -> {
          summary(g, t);
          g.writeArrayFieldStart("foreign_keys");
          for (Catalog.ForeignKey fk : t.foreignKeys()) {
            foreignKey(g, fk);
          }
          g.writeEndArray();
          g.writeArrayFieldStart("referenced_by");
          for (Map.Entry<Catalog.Table, Catalog.ForeignKey> e : catalog.referencing(t)) {
            g.writeStartObject();
            g.writeStringField("table", e.getKey().schema() + "." + e.getKey().name());
            JsonOut.names(g, "columns", e.getValue().columns());
            g.writeEndObject();
          }
          g.writeEndArray();
          JsonOut.names(g, "indexes", t.indexes());
          g.writeEndObject();
        });
  }

  /** The table's object, left open for more fields. */
  private static void summary(JsonGenerator g, Catalog.Table t) throws IOException {
    g.writeStartObject();
    g.writeStringField("schema", t.schema());
    g.writeStringField("name", t.name());
    g.writeStringField("kind", t.kind());
    g.writeObjectFieldStart("rows");
    if (t.rowCount() >= 0) {
      g.writeNumberField("count", t.rowCount());
    } else {
      g.writeNullField("count");
    }
    g.writeStringField("source", t.countSource());
    g.writeEndObject();
    g.writeStringField("verdict", t.verdict());
    g.writeStringField("run", t.runId());
    JsonOut.names(g, "primary_key", t.primaryKey());
    g.writeArrayFieldStart("columns");
    for (Catalog.Column c : t.columns()) {
      g.writeStartObject();
      g.writeStringField("name", c.name());
      g.writeStringField("type", c.type());
      g.writeBooleanField("not_null", c.notNull());
      g.writeEndObject();
    }
    g.writeEndArray();
  }

  private static void foreignKey(JsonGenerator g, Catalog.ForeignKey fk) throws IOException {
    g.writeStartObject();
    g.writeStringField("name", fk.name());
    JsonOut.names(g, "columns", fk.columns());
    g.writeStringField("references", fk.refSchema() + "." + fk.refTable());
    JsonOut.names(g, "ref_columns", fk.refColumns());
    g.writeEndObject();
  }
}
