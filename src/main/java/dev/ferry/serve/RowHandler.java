package dev.ferry.serve;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.sql.SqlText;
import io.javalin.http.Context;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * {@code GET /api/tables/S/T/row?KEY=VALUE…}: one row by its primary key, the rows it references
 * (null for an orphan of a NOT VALID foreign key) with their key and the value of their label
 * column (username, name, title… when there is one), and how many rows reference it, per foreign
 * key, naming the referencing columns and the filter that lists them; all in one read-only
 * snapshot.
 */
final class RowHandler {
  private static final int REFERENCING_CAP = 10_000;
  private final DataSource db;
  private final Catalog catalog;
  private final JsonOut out;

  RowHandler(DataSource db, Catalog catalog, JsonOut out) {
    this.db = db;
    this.catalog = catalog;
    this.out = out;
  }

  /** Columns that name a row for people, in the order they are preferred. */
  static final List<String> LABELS =
      List.of(
          "username",
          "screen_name",
          "display_name",
          "name",
          "title",
          "label",
          "handle",
          "slug",
          "email",
          "code");

  /** The column that names {@code t}'s rows for people (username, name, title…), or null. */
  static String labelColumn(Catalog.Table t) {
    for (String l : LABELS) {
      Catalog.Column c = t.column(l);
      if (c != null && c.textual()) {
        return l;
      }
    }
    return null;
  }

  /** {@code "a" = CAST(? AS type) AND …} over {@code columns}. */
  private static String equalAll(List<Catalog.Column> columns) {
    List<String> parts = new ArrayList<>();
    for (Catalog.Column c : columns) {
      parts.add(SqlText.ident(c.name()) + " = CAST(? AS " + c.type() + ")");
    }
    return String.join(" AND ", parts);
  }

  void row(Context ctx) throws IOException, SQLException {
    Catalog.Table t = catalog.table(ctx.pathParam("schema"), ctx.pathParam("table"));
    List<String> key = t.primaryKey();
    if (key.isEmpty()) {
      throw new FerryException(
          ErrorCode.USAGE,
          t.schema() + "." + t.name() + " has no primary key: find rows with /rows and filters");
    }
    List<Object> values = new ArrayList<>();
    List<Catalog.Column> keyColumns = new ArrayList<>();
    for (String k : key) {
      String v = ctx.queryParam(k);
      if (v == null) {
        throw new FerryException(
            ErrorCode.USAGE,
            "name the row by its primary key: "
                + String.join(", ", key.stream().map(x -> x + "=VALUE").toList()));
      }
      keyColumns.add(t.column(k));
      values.add(v);
    }
    out.respond(
        ctx,
        "detail",
        g -> {
          try (Connection c = db.getConnection()) {
            c.setAutoCommit(false); // one read-only snapshot for the row and its neighbours
            Map<String, String> row = theRow(c, g, t, equalAll(keyColumns), values);
            g.writeArrayFieldStart("references");
            for (Catalog.ForeignKey fk : t.foreignKeys()) {
              reference(c, g, fk, row);
            }
            g.writeEndArray();
            g.writeArrayFieldStart("referenced_by");
            for (Map.Entry<Catalog.Table, Catalog.ForeignKey> e : catalog.referencing(t)) {
              referencing(c, g, e.getKey(), e.getValue(), row);
            }
            g.writeEndArray();
            g.writeEndObject();
            c.rollback();
          }
        });
  }

  /** Opens the answer with the row; returns its values as text by column. */
  private static Map<String, String> theRow(
      Connection c, JsonGenerator g, Catalog.Table t, String where, List<Object> values)
      throws SQLException, IOException {
    Map<String, String> row = new LinkedHashMap<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT " + t.columnList() + " FROM " + t.qualified() + " WHERE " + where)) {
      JsonOut.bind(ps, values);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw new FerryException(
              ErrorCode.NOT_FOUND, "no row of " + t.schema() + "." + t.name() + " with that key");
        }
        g.writeStartObject();
        g.writeStringField("table", t.schema() + "." + t.name());
        g.writeFieldName("row");
        RowWriter.row(g, rs, t.columns());
        for (int i = 0; i < t.columns().size(); i++) {
          row.put(t.columns().get(i).name(), rs.getString(i + 1));
        }
      }
    }
    return row;
  }

  /** The row {@code fk} points at; nothing when the key is null or the table is not served. */
  private void reference(
      Connection c, JsonGenerator g, Catalog.ForeignKey fk, Map<String, String> row)
      throws SQLException, IOException {
    Catalog.Table ref = catalog.find(fk.refSchema(), fk.refTable());
    if (ref == null) {
      return;
    }
    List<Object> values = new ArrayList<>();
    List<Catalog.Column> columns = new ArrayList<>();
    for (int i = 0; i < fk.columns().size(); i++) {
      String v = row.get(fk.columns().get(i));
      if (v == null) {
        return;
      }
      columns.add(ref.column(fk.refColumns().get(i)));
      values.add(v);
    }
    String sql =
        "SELECT "
            + ref.columnList()
            + " FROM "
            + ref.qualified()
            + " WHERE "
            + equalAll(columns)
            + " LIMIT 1";
    String labelled = null;
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      JsonOut.bind(ps, values);
      try (ResultSet rs = ps.executeQuery()) {
        g.writeStartObject();
        g.writeStringField("constraint", fk.name());
        g.writeStringField("table", ref.schema() + "." + ref.name());
        JsonOut.names(g, "columns", fk.columns());
        g.writeObjectFieldStart("key"); // the referenced row's key, as the row page takes it
        for (int i = 0; i < fk.refColumns().size(); i++) {
          g.writeStringField(fk.refColumns().get(i), String.valueOf(values.get(i)));
        }
        g.writeEndObject();
        String label = labelColumn(ref);
        g.writeStringField("label_column", label);
        g.writeFieldName("row");
        if (rs.next()) {
          if (label != null) {
            labelled = rs.getString(label);
          }
          RowWriter.row(g, rs, ref.columns());
        } else {
          g.writeNull(); // an orphan (NOT VALID foreign key)
        }
        g.writeStringField("label", labelled);
        g.writeEndObject();
      }
    }
  }

  /** How many rows of {@code child} reference the row through {@code fk} (capped), and how. */
  private static void referencing(
      Connection c,
      JsonGenerator g,
      Catalog.Table child,
      Catalog.ForeignKey fk,
      Map<String, String> row)
      throws SQLException, IOException {
    List<Object> values = new ArrayList<>();
    List<Catalog.Column> columns = new ArrayList<>();
    g.writeStartObject();
    g.writeStringField("table", child.schema() + "." + child.name());
    g.writeStringField("constraint", fk.name());
    JsonOut.names(g, "columns", fk.columns());
    g.writeObjectFieldStart("filter");
    for (int i = 0; i < fk.columns().size(); i++) {
      Catalog.Column cc = child.column(fk.columns().get(i));
      String v = row.get(fk.refColumns().get(i));
      columns.add(cc);
      values.add(v);
      g.writeStringField(cc.name(), "eq." + v);
    }
    g.writeEndObject();
    String sql =
        "SELECT count(*) FROM (SELECT 1 FROM "
            + child.qualified()
            + " WHERE "
            + equalAll(columns)
            + " LIMIT "
            + (REFERENCING_CAP + 1)
            + ") x";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      JsonOut.bind(ps, values);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        long n = rs.getLong(1);
        g.writeNumberField("count", Math.min(n, REFERENCING_CAP));
        g.writeBooleanField("capped", n > REFERENCING_CAP);
      }
    }
    g.writeEndObject();
  }
}
