package dev.ferry.plan;

/**
 * A PostgreSQL column type Ferry writes. {@code length} is used by VARCHAR only.
 *
 * @param kind the type
 * @param length varchar length, else 0
 */
public record PgType(Kind kind, int length) {

  /** The types Ferry chooses from, with their SQL names. */
  public enum Kind {
    BOOLEAN("boolean"),
    SMALLINT("smallint"),
    INTEGER("integer"),
    BIGINT("bigint"),
    DOUBLE("double precision"),
    NUMERIC("numeric"),
    TEXT("text"),
    VARCHAR("varchar"),
    JSONB("jsonb"),
    TIMESTAMPTZ("timestamptz"),
    DATE("date"),
    BYTEA("bytea");

    private final String sql;

    Kind(String sql) {
      this.sql = sql;
    }
  }

  public static final PgType BOOLEAN = of(Kind.BOOLEAN);
  public static final PgType SMALLINT = of(Kind.SMALLINT);
  public static final PgType INTEGER = of(Kind.INTEGER);
  public static final PgType BIGINT = of(Kind.BIGINT);
  public static final PgType DOUBLE = of(Kind.DOUBLE);
  public static final PgType NUMERIC = of(Kind.NUMERIC);
  public static final PgType TEXT = of(Kind.TEXT);
  public static final PgType JSONB = of(Kind.JSONB);
  public static final PgType TIMESTAMPTZ = of(Kind.TIMESTAMPTZ);
  public static final PgType DATE = of(Kind.DATE);
  public static final PgType BYTEA = of(Kind.BYTEA);

  public static PgType of(Kind kind) {
    return new PgType(kind, 0);
  }

  public static PgType varchar(int length) {
    return new PgType(Kind.VARCHAR, length);
  }

  /** The type as written in DDL. */
  public String sql() {
    return kind == Kind.VARCHAR ? "varchar(" + length + ")" : kind.sql;
  }

  public boolean isInteger() {
    return kind == Kind.SMALLINT || kind == Kind.INTEGER || kind == Kind.BIGINT;
  }

  public boolean isText() {
    return kind == Kind.TEXT || kind == Kind.VARCHAR;
  }

  @Override
  public String toString() {
    return sql();
  }
}
