package dev.ferry.source.sqlite;

import dev.ferry.source.SourceColumn;
import dev.ferry.source.SourceForeignKey;
import dev.ferry.source.SourceIndex;
import dev.ferry.source.SourceSchema;
import dev.ferry.source.SourceTable;
import dev.ferry.source.SourceView;
import dev.ferry.source.SourceVirtualTable;
import dev.ferry.sql.SqlTokenizer;
import dev.ferry.sql.Token;
import dev.ferry.sql.Token.Kind;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Builds a {@link SourceSchema} from sqlite_master, the table pragmas and the CREATE statements.
 *
 * <p>What is not the user's is left out: SQLite's own {@code sqlite_*} objects; in a database Ferry
 * staged, staging's {@code _ferry_*} tables (their column hints applied to the staged tables); in a
 * user's database only the change capture {@code ferry sync start} installs, and that with a note.
 * Any other table of a user's database is migrated whatever its name.
 */
final class SqliteSchemaReader {
  private final Path file;
  private final Connection connection;
  private final boolean staged;
  private StagedColumns overlay = StagedColumns.NONE;

  SqliteSchemaReader(Path file, Connection connection, boolean staged) {
    this.file = file;
    this.connection = connection;
    this.staged = staged;
  }

  SourceSchema read() throws SQLException {
    List<SourceTable> tables = new ArrayList<>();
    List<SourceView> views = new ArrayList<>();
    List<String> triggers = new ArrayList<>();
    List<SourceVirtualTable> virtualTables = new ArrayList<>();
    Map<String, Long> sequences = sequences();
    overlay = staged ? StagedColumns.read(connection) : StagedColumns.NONE;
    SyncCapture capture = staged ? SyncCapture.NONE : SyncCapture.find(connection);
    try (Statement st = connection.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT type, name, sql FROM sqlite_master"
                    + " WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"
                    + (staged ? " AND name NOT LIKE '\\_ferry\\_%' ESCAPE '\\'" : "")
                    + " ORDER BY rowid")) {
      List<String[]> entries = new ArrayList<>();
      while (rs.next()) {
        if (!capture.holds(rs.getString(1), rs.getString(2), rs.getString(3))) {
          entries.add(new String[] {rs.getString(1), rs.getString(2), rs.getString(3)});
        }
      }
      Map<String, SourceVirtualTable> virtuals = new LinkedHashMap<>();
      java.util.Set<String> shadows = new java.util.HashSet<>();
      for (String[] e : entries) {
        if (e[0].equals("table") && isVirtual(e[2])) {
          SourceVirtualTable v = virtualTable(e[1], e[2]);
          virtuals.put(e[1], v);
          v.shadowTables().forEach(n -> shadows.add(n.toLowerCase(Locale.ROOT)));
        }
      }
      virtualTables.addAll(virtuals.values());
      for (String[] e : entries) {
        String type = e[0];
        String name = e[1];
        String sql = e[2];
        switch (type) {
          case "table" -> {
            SourceVirtualTable v = virtuals.get(name);
            if (v != null && v.carried()) {
              tables.add(fullTextTable(name, sql));
            } else if (v == null
                && sql != null
                && !shadows.contains(name.toLowerCase(Locale.ROOT))) {
              tables.add(table(name, sql, sequences.getOrDefault(name, 0L)));
            }
          }
          case "view" -> views.add(new SourceView(name, viewSelect(sql)));
          case "trigger" -> triggers.add(name);
          default -> {
            // indexes are read per table through the pragmas
          }
        }
      }
    }
    return new SourceSchema(file, tables, views, triggers, virtualTables, capture.leftOut());
  }

  private static boolean isVirtual(String sql) {
    List<Token> tokens = sql == null ? List.of() : SqlTokenizer.tokenize(sql);
    return tokens.size() > 1 && tokens.get(0).is("CREATE") && tokens.get(1).is("VIRTUAL");
  }

  /** {@code CREATE VIRTUAL TABLE name USING module(arg, …)}: the module and its arguments. */
  static SourceVirtualTable virtualTable(String name, String sql) {
    List<Token> tokens = SqlTokenizer.tokenize(sql);
    String module = "";
    List<String> arguments = new ArrayList<>();
    for (int i = 0; i + 1 < tokens.size(); i++) {
      if (!tokens.get(i).is("USING")) {
        continue;
      }
      module = tokens.get(i + 1).text().toLowerCase(Locale.ROOT);
      int depth = 0;
      int from = -1;
      for (int j = i + 2; j < tokens.size(); j++) {
        Token t = tokens.get(j);
        if (t.kind() == Kind.LPAREN && depth++ == 0) {
          from = j + 1;
        } else if ((t.kind() == Kind.RPAREN && --depth == 0)
            || (t.kind() == Kind.COMMA && depth == 1)) {
          if (from >= 0 && from < j) {
            arguments.add(sql.substring(tokens.get(from).start(), tokens.get(j - 1).end()).trim());
          }
          from = j + 1;
          if (depth == 0) {
            break;
          }
        }
      }
      break;
    }
    boolean fullText = module.equals("fts5") || module.equals("fts4") || module.equals("fts3");
    SourceVirtualTable v = new SourceVirtualTable(name, module, List.copyOf(arguments), false);
    return fullText && v.option("content") == null
        ? new SourceVirtualTable(name, module, List.copyOf(arguments), true)
        : v;
  }

  /**
   * A full-text table that holds its own content, read as a table: its rowid (the document id an
   * application's MATCH queries return) as the key, then its declared columns.
   */
  private SourceTable fullTextTable(String name, String sql) throws SQLException {
    List<SourceColumn> columns = new ArrayList<>();
    columns.add(new SourceColumn("rowid", "INTEGER", true, null, 1, null, null, false, false));
    try (PreparedStatement ps =
        connection.prepareStatement("SELECT name FROM pragma_table_xinfo(?) WHERE hidden = 0")) {
      ps.setString(1, name);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          columns.add(
              new SourceColumn(rs.getString(1), "", false, null, 0, null, null, false, false));
        }
      }
    }
    return new SourceTable(
        name, columns, null, List.of(), List.of(), List.of(), false, false, 0, sql);
  }

  private Map<String, Long> sequences() throws SQLException {
    Map<String, Long> out = new LinkedHashMap<>();
    try (Statement st = connection.createStatement();
        ResultSet has =
            st.executeQuery("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_sequence'")) {
      if (!has.next()) {
        return out;
      }
    }
    try (Statement st = connection.createStatement();
        ResultSet rs = st.executeQuery("SELECT name, seq FROM sqlite_sequence")) {
      while (rs.next()) {
        out.put(rs.getString(1), rs.getLong(2));
      }
    }
    return out;
  }

  private SourceTable table(String name, String sql, long sequence) throws SQLException {
    CreateTableParser.Parsed parsed = CreateTableParser.parse(sql);
    List<SourceColumn> columns = new ArrayList<>();
    int pkColumns = 0;
    try (PreparedStatement ps =
        connection.prepareStatement("SELECT * FROM pragma_table_xinfo(?)")) {
      ps.setString(1, name);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          int hidden = rs.getInt("hidden");
          if (hidden == 1) {
            continue; // hidden columns of virtual tables
          }
          if (rs.getInt("pk") > 0) {
            pkColumns++;
          }
          columns.add(
              new SourceColumn(
                  rs.getString("name"),
                  rs.getString("type") == null ? "" : rs.getString("type"),
                  rs.getInt("notnull") == 1,
                  rs.getString("dflt_value"),
                  rs.getInt("pk"),
                  null,
                  null,
                  false,
                  false));
        }
      }
    }
    List<SourceColumn> complete = new ArrayList<>();
    for (SourceColumn c : columns) {
      CreateTableParser.ColumnExtras extras = parsed.columns().get(CreateTableParser.key(c.name()));
      boolean rowidAlias =
          !parsed.withoutRowid()
              && pkColumns == 1
              && c.primaryKeyOrdinal() == 1
              && c.declaredType().equalsIgnoreCase("INTEGER");
      complete.add(
          new SourceColumn(
              c.name(),
              c.declaredType(),
              c.notNull(),
              c.defaultSql(),
              c.primaryKeyOrdinal(),
              extras == null ? null : extras.collation(),
              extras == null ? null : extras.generatedSql(),
              extras != null && extras.generatedStored(),
              rowidAlias));
    }
    return new SourceTable(
        name,
        overlay.apply(name, complete),
        parsed.primaryKeyName(),
        List.copyOf(parsed.checks()),
        indexes(name, parsed),
        foreignKeys(name),
        parsed.withoutRowid(),
        parsed.autoincrement(),
        sequence,
        sql);
  }

  private List<SourceIndex> indexes(String table, CreateTableParser.Parsed parsed)
      throws SQLException {
    List<SourceIndex> out = new ArrayList<>();
    try (PreparedStatement ps = connection.prepareStatement("SELECT * FROM pragma_index_list(?)")) {
      ps.setString(1, table);
      try (ResultSet rs = ps.executeQuery()) {
        List<Object[]> rows = new ArrayList<>();
        while (rs.next()) {
          rows.add(
              new Object[] {rs.getString("name"), rs.getInt("unique"), rs.getString("origin")});
        }
        // pragma_index_list lists the newest index first; keep declaration order instead
        for (int i = rows.size() - 1; i >= 0; i--) {
          String name = (String) rows.get(i)[0];
          boolean unique = (Integer) rows.get(i)[1] == 1;
          String origin = (String) rows.get(i)[2];
          if ("pk".equals(origin)) {
            continue; // the primary key is carried from the columns
          }
          out.add(index(name, unique, "u".equals(origin), parsed));
        }
      }
    }
    return out;
  }

  private SourceIndex index(
      String name, boolean unique, boolean fromConstraint, CreateTableParser.Parsed parsed)
      throws SQLException {
    List<SourceIndex.Part> parts = new ArrayList<>();
    try (PreparedStatement ps =
        connection.prepareStatement("SELECT * FROM pragma_index_xinfo(?) WHERE key = 1")) {
      ps.setString(1, name);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          String coll = rs.getString("coll");
          parts.add(
              new SourceIndex.Part(
                  rs.getInt("cid") == -2 ? null : rs.getString("name"),
                  null,
                  rs.getInt("desc") == 1,
                  coll == null || coll.equalsIgnoreCase("BINARY")
                      ? null
                      : coll.toUpperCase(Locale.ROOT)));
        }
      }
    }
    String where = null;
    if (!fromConstraint) {
      String sql = indexSql(name);
      IndexSql parsedSql = IndexSql.parse(sql);
      where = parsedSql.where();
      for (int i = 0; i < parts.size() && i < parsedSql.parts().size(); i++) {
        SourceIndex.Part p = parts.get(i);
        if (p.column() == null) {
          parts.set(
              i,
              new SourceIndex.Part(null, parsedSql.parts().get(i), p.descending(), p.collation()));
        }
      }
    }
    String constraintName = null;
    if (fromConstraint) {
      List<String> cols = parts.stream().map(SourceIndex.Part::column).toList();
      for (CreateTableParser.NamedUnique u : parsed.uniques()) {
        if (u.name() != null && sameNames(u.columns(), cols)) {
          constraintName = u.name();
        }
      }
    }
    return new SourceIndex(name, unique, parts, where, fromConstraint, constraintName);
  }

  private static boolean sameNames(List<String> a, List<String> b) {
    if (a.size() != b.size()) {
      return false;
    }
    for (int i = 0; i < a.size(); i++) {
      if (!a.get(i).equalsIgnoreCase(b.get(i))) {
        return false;
      }
    }
    return true;
  }

  private String indexSql(String name) throws SQLException {
    try (PreparedStatement ps =
        connection.prepareStatement(
            "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?")) {
      ps.setString(1, name);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getString(1) : null;
      }
    }
  }

  private List<SourceForeignKey> foreignKeys(String table) throws SQLException {
    Map<Integer, List<String[]>> byId = new LinkedHashMap<>();
    try (PreparedStatement ps =
        connection.prepareStatement("SELECT * FROM pragma_foreign_key_list(?) ORDER BY id, seq")) {
      ps.setString(1, table);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          byId.computeIfAbsent(rs.getInt("id"), k -> new ArrayList<>())
              .add(
                  new String[] {
                    rs.getString("table"),
                    rs.getString("from"),
                    rs.getString("to"),
                    rs.getString("on_update"),
                    rs.getString("on_delete")
                  });
        }
      }
    }
    List<SourceForeignKey> out = new ArrayList<>();
    // pragma ids count from the last declared key: reverse to keep declaration order
    List<List<String[]>> groups = new ArrayList<>(byId.values());
    for (int g = groups.size() - 1; g >= 0; g--) {
      List<String[]> rows = groups.get(g);
      List<String> from = rows.stream().map(r -> r[1]).toList();
      List<String> to = rows.stream().map(r -> r[2]).filter(t -> t != null).toList();
      out.add(
          new SourceForeignKey(
              null, from, rows.get(0)[0], to, rows.get(0)[3], rows.get(0)[4], false));
    }
    return out;
  }

  /** The SELECT of a CREATE VIEW statement. */
  static String viewSelect(String createView) {
    List<Token> tokens = SqlTokenizer.tokenize(createView);
    int depth = 0;
    for (Token t : tokens) {
      if (t.kind() == Kind.LPAREN) {
        depth++;
      } else if (t.kind() == Kind.RPAREN) {
        depth--;
      } else if (depth == 0 && t.is("AS")) {
        return createView.substring(t.end()).trim();
      }
    }
    return createView;
  }

  /** The key parts and WHERE of a CREATE INDEX statement, as written. */
  record IndexSql(List<String> parts, String where) {
    static IndexSql parse(String sql) {
      if (sql == null) {
        return new IndexSql(List.of(), null);
      }
      List<Token> tokens = SqlTokenizer.tokenize(sql);
      int open = -1;
      for (int i = 0; i < tokens.size(); i++) {
        if (tokens.get(i).kind() == Kind.LPAREN) {
          open = i;
          break;
        }
      }
      List<String> parts = new ArrayList<>();
      int depth = 0;
      int partStart = open + 1;
      int close = -1;
      for (int i = open; i < tokens.size(); i++) {
        Token t = tokens.get(i);
        if (t.kind() == Kind.LPAREN) {
          depth++;
        } else if (t.kind() == Kind.RPAREN && --depth == 0) {
          parts.add(partText(sql, tokens, partStart, i));
          close = i;
          break;
        } else if (t.kind() == Kind.COMMA && depth == 1) {
          parts.add(partText(sql, tokens, partStart, i));
          partStart = i + 1;
        }
      }
      String where = null;
      if (close >= 0 && close + 1 < tokens.size() && tokens.get(close + 1).is("WHERE")) {
        where = sql.substring(tokens.get(close + 1).end()).trim();
        if (where.endsWith(";")) {
          where = where.substring(0, where.length() - 1).trim();
        }
      }
      return new IndexSql(parts, where);
    }

    /** A key part's expression without its trailing COLLATE x / ASC / DESC. */
    private static String partText(String sql, List<Token> tokens, int from, int to) {
      int end = to;
      while (end - 1 > from) {
        Token last = tokens.get(end - 1);
        if (last.is("ASC") || last.is("DESC")) {
          end--;
        } else if (end - 2 > from && tokens.get(end - 2).is("COLLATE")) {
          end -= 2;
        } else {
          break;
        }
      }
      return sql.substring(tokens.get(from).start(), tokens.get(end - 1).end()).trim();
    }
  }
}
