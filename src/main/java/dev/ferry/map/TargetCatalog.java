package dev.ferry.map;

import dev.ferry.sql.SqlText;
import dev.ferry.value.CatalogType;
import dev.ferry.value.CatalogType.Kind;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads an existing target table from PostgreSQL's catalog: pg_attribute for the columns (NOT NULL,
 * defaults, identity, generated), format_type for the declared type, pg_type for what the type is
 * made of (domains down to their base, enum labels from pg_enum, array elements), pg_index for the
 * primary key, pg_constraint for the foreign keys.
 */
final class TargetCatalog {
  private static final Map<String, Kind> BASE_TYPES =
      Map.ofEntries(
          Map.entry("text", Kind.TEXT),
          Map.entry("varchar", Kind.VARCHAR),
          Map.entry("bpchar", Kind.CHAR),
          Map.entry("int2", Kind.SMALLINT),
          Map.entry("int4", Kind.INTEGER),
          Map.entry("int8", Kind.BIGINT),
          Map.entry("numeric", Kind.NUMERIC),
          Map.entry("float4", Kind.REAL),
          Map.entry("float8", Kind.DOUBLE),
          Map.entry("bool", Kind.BOOLEAN),
          Map.entry("date", Kind.DATE),
          Map.entry("timestamp", Kind.TIMESTAMP),
          Map.entry("timestamptz", Kind.TIMESTAMPTZ),
          Map.entry("time", Kind.TIME),
          Map.entry("uuid", Kind.UUID),
          Map.entry("json", Kind.JSON),
          Map.entry("jsonb", Kind.JSONB),
          Map.entry("bytea", Kind.BYTEA));

  private final Connection c;

  TargetCatalog(Connection c) {
    this.c = c;
  }

  /** The table, or empty when there is no such table. */
  Optional<TargetTable> table(String schema, String name) throws SQLException {
    String regclass = SqlText.qualified(schema, name);
    Long oid = oid(regclass);
    if (oid == null) {
      return Optional.empty();
    }
    List<TargetColumn> columns = new ArrayList<>();
    List<long[]> typeOids = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT a.attname, a.atttypid, a.atttypmod, a.attnotnull,"
                + " a.atthasdef OR a.attidentity <> '' OR a.attgenerated <> '',"
                + " a.attgenerated <> '' OR a.attidentity = 'a'"
                + " FROM pg_attribute a WHERE a.attrelid = ? AND a.attnum > 0 AND NOT a.attisdropped"
                + " ORDER BY a.attnum")) {
      ps.setLong(1, oid);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          columns.add(
              new TargetColumn(
                  rs.getString(1), null, rs.getBoolean(4), rs.getBoolean(5), rs.getBoolean(6)));
          typeOids.add(new long[] {rs.getLong(2), rs.getInt(3)});
        }
      }
    }
    List<TargetColumn> typed = new ArrayList<>();
    for (int i = 0; i < columns.size(); i++) {
      TargetColumn col = columns.get(i);
      CatalogType t = type(typeOids.get(i)[0], (int) typeOids.get(i)[1]);
      boolean notNull = col.notNull() || domainNotNull(typeOids.get(i)[0]);
      typed.add(new TargetColumn(col.name(), t, notNull, col.filledByServer(), col.generated()));
    }
    String[] qualifiedName = names(oid);
    return Optional.of(
        new TargetTable(
            qualifiedName[0], qualifiedName[1], typed, primaryKey(oid), foreignKeys(oid)));
  }

  /** The table's foreign keys, by constraint name. */
  private List<ForeignKey> foreignKeys(long oid) throws SQLException {
    List<ForeignKey> out = new ArrayList<>();
    String columnsOf =
        "(SELECT array_agg(a.attname::text ORDER BY k.n) FROM unnest(con.%s)"
            + " WITH ORDINALITY AS k(attnum, n) JOIN pg_attribute a"
            + " ON a.attrelid = con.%s AND a.attnum = k.attnum)";
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT con.conname, "
                + String.format(columnsOf, "conkey", "conrelid")
                + ", rn.nspname, rc.relname, "
                + String.format(columnsOf, "confkey", "confrelid")
                + ", con.condeferrable FROM pg_constraint con"
                + " JOIN pg_class rc ON rc.oid = con.confrelid"
                + " JOIN pg_namespace rn ON rn.oid = rc.relnamespace"
                + " WHERE con.conrelid = ? AND con.contype = 'f' ORDER BY con.conname")) {
      ps.setLong(1, oid);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(
              new ForeignKey(
                  rs.getString(1),
                  List.of((String[]) rs.getArray(2).getArray()),
                  rs.getString(3),
                  rs.getString(4),
                  List.of((String[]) rs.getArray(5).getArray()),
                  rs.getBoolean(6)));
        }
      }
    }
    return out;
  }

  /** The names of the ordinary and partitioned tables of {@code schema}, sorted. */
  List<String> tableNames(String schema) throws SQLException {
    List<String> out = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                + " WHERE n.nspname = ? AND c.relkind IN ('r', 'p') AND NOT c.relispartition"
                + " ORDER BY c.relname")) {
      ps.setString(1, schema);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getString(1));
        }
      }
    }
    return out;
  }

  private Long oid(String regclass) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT c.oid FROM pg_class c WHERE c.oid = to_regclass(?) AND c.relkind IN ('r', 'p')")) {
      ps.setString(1, regclass);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getLong(1) : null;
      }
    }
  }

  private String[] names(long oid) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                + " WHERE c.oid = ?")) {
      ps.setLong(1, oid);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return new String[] {rs.getString(1), rs.getString(2)};
      }
    }
  }

  private List<String> primaryKey(long oid) throws SQLException {
    List<String> out = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT a.attname FROM pg_index i"
                + " CROSS JOIN LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, n)"
                + " JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum"
                + " WHERE i.indrelid = ? AND i.indisprimary ORDER BY k.n")) {
      ps.setLong(1, oid);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getString(1));
        }
      }
    }
    return out;
  }

  private boolean domainNotNull(long typeOid) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT typnotnull FROM pg_type WHERE oid = ? AND typtype = 'd'")) {
      ps.setLong(1, typeOid);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() && rs.getBoolean(1);
      }
    }
  }

  /** The declared type {@code oid} with modifier {@code typmod}, resolved to what it is made of. */
  CatalogType type(long oid, int typmod) throws SQLException {
    String formatted;
    String name;
    String typtype;
    String category;
    long element;
    long base;
    int baseMod;
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT format_type(oid, ?), typname, typtype, typcategory, typelem, typbasetype,"
                + " typtypmod FROM pg_type WHERE oid = ?")) {
      ps.setInt(1, typmod);
      ps.setLong(2, oid);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        formatted = rs.getString(1);
        name = rs.getString(2);
        typtype = rs.getString(3);
        category = rs.getString(4);
        element = rs.getLong(5);
        base = rs.getLong(6);
        baseMod = rs.getInt(7);
      }
    }
    if (typtype.equals("d")) {
      CatalogType b = type(base, baseMod);
      return new CatalogType(formatted, Kind.DOMAIN, -1, -1, -1, List.of(), null, b);
    }
    if (typtype.equals("e")) {
      return new CatalogType(formatted, Kind.ENUM, -1, -1, -1, labels(oid), null, null);
    }
    if (category.equals("A") && element != 0) {
      CatalogType e = type(element, typmod);
      return new CatalogType(formatted, Kind.ARRAY, -1, -1, -1, List.of(), e, null);
    }
    Kind kind = BASE_TYPES.getOrDefault(name, Kind.OTHER);
    int length = (kind == Kind.VARCHAR || kind == Kind.CHAR) && typmod >= 4 ? typmod - 4 : -1;
    int precision = kind == Kind.NUMERIC && typmod >= 4 ? ((typmod - 4) >> 16) & 0xffff : -1;
    int scale = kind == Kind.NUMERIC && typmod >= 4 ? (typmod - 4) & 0xffff : -1;
    return new CatalogType(formatted, kind, length, precision, scale, List.of(), null, null);
  }

  private List<String> labels(long enumOid) throws SQLException {
    List<String> out = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT enumlabel FROM pg_enum WHERE enumtypid = ? ORDER BY enumsortorder")) {
      ps.setLong(1, enumOid);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getString(1));
        }
      }
    }
    return out;
  }
}
