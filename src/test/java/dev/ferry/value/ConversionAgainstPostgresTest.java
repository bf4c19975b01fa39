package dev.ferry.value;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.postgres.TargetUrl;
import dev.ferry.testing.TestPostgres;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * The oracle is PostgreSQL itself. For generated catalog types and source values: when {@code
 * copyText} accepts a value, the server reads that text as the type and prints it back unchanged,
 * the server reading the source's own text prints the same (so nothing Ferry accepts would be
 * changed by PostgreSQL), and the printed value means the source value (numbers compared
 * numerically, times as instants, a REAL by reading the text back as a double). When the server
 * would round, truncate, shift or refuse, {@code copyText} has refused. One query per try.
 */
class ConversionAgainstPostgresTest {
  private static Connection connection;

  /** One generated case: a type, and values generated for it (with some from other kinds). */
  record Case(CatalogType type, List<Object> values) {}

  @Property(tries = 250)
  void whatCopyTextAcceptsIsWhatPostgresStoresAndMeansTheSource(@ForAll("cases") Case c)
      throws SQLException {
    Conversion conversion = Conversion.to(c.type());
    List<String> accepted = new ArrayList<>();
    List<String> sources = new ArrayList<>();
    for (Object v : c.values()) {
      String text;
      try {
        text = conversion.copyText(v);
      } catch (ValueDoesNotFit refused) {
        assertThat(refused.reason()).isNotBlank();
        text = null;
      }
      accepted.add(text);
      sources.add(sourceText(v, c.type()));
    }
    List<String> fromCopyText = serverReads(accepted, c.type());
    List<String> fromSource = serverReads(sources, c.type());
    int count = 0;
    for (int i = 0; i < c.values().size(); i++) {
      Object v = c.values().get(i);
      String text = accepted.get(i);
      if (text == null) {
        continue;
      }
      count++;
      String what = c.type().formatted() + " of " + describe(v) + " -> " + text;
      if (c.type().kind() == CatalogType.Kind.DOMAIN
          && fromCopyText.get(i).contains("violates check constraint")) {
        continue; // a domain's CHECK is PostgreSQL's to enforce, as Conversion documents
      }
      assertThat(fromCopyText.get(i)).as(what).isEqualTo("=" + text);
      if (sources.get(i) != null) {
        assertThat(fromSource.get(i))
            .as("server reading the source: " + what)
            .isEqualTo("=" + text);
      }
      assertThat(Meaning.same(c.type(), v, text)).as("meaning of " + what).isTrue();
    }
    Statistics.label("accepted").collect(count > 0);
  }

  /**
   * The text the server is given as the source value, or null when a source has no text form the
   * server's own reading would agree on (blobs, JSON arrays for arrays, texts into bytea).
   */
  private static String sourceText(Object v, CatalogType t) {
    CatalogType.Kind k = base(t).kind();
    if (k == CatalogType.Kind.ARRAY || k == CatalogType.Kind.BYTEA) {
      return null;
    }
    if ((k == CatalogType.Kind.JSON || k == CatalogType.Kind.JSONB) && !(v instanceof String)) {
      return null;
    }
    if (v instanceof String s) {
      if ((k == CatalogType.Kind.TIMESTAMP || k == CatalogType.Kind.DATE)
          && WITH_OFFSET.matcher(s).find()) {
        // the server drops an offset given to a timestamp without time zone (or a date); Ferry
        // keeps the instant as a UTC wall time, which Meaning.same checks
        return null;
      }
      return s.indexOf('\0') >= 0 || hasLoneSurrogate(s) ? null : s;
    }
    if (v instanceof Long l) {
      return l.toString();
    }
    if (v instanceof Double d) {
      return RealText.of(d);
    }
    return null;
  }

  private static final java.util.regex.Pattern WITH_OFFSET =
      java.util.regex.Pattern.compile(
          "\\d:\\d\\d(:\\d\\d(\\.\\d+)?)?\\s*([+-]\\d\\d(:?\\d\\d)?|Z)$");

  static CatalogType base(CatalogType t) {
    return t.kind() == CatalogType.Kind.DOMAIN ? base(t.base()) : t;
  }

  private static boolean hasLoneSurrogate(String s) {
    return !s.equals(new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8));
  }

  private static String describe(Object v) {
    if (v instanceof byte[] b) {
      return "blob " + java.util.HexFormat.of().formatHex(b);
    }
    return v.getClass().getSimpleName() + " " + (v instanceof String ? "\"" + v + "\"" : v);
  }

  /**
   * For each text, "=" and what {@code (text::type)::text} prints (for boolean, its output t/f),
   * "!" and the error, or null.
   */
  private static List<String> serverReads(List<String> texts, CatalogType t) throws SQLException {
    Connection c = connection();
    try (PreparedStatement st =
        c.prepareStatement(
            "SELECT ferry_try(x, ?) FROM unnest(?::text[]) WITH ORDINALITY AS u(x, i) ORDER BY i")) {
      Array array = c.createArrayOf("text", texts.toArray());
      st.setString(1, t.formatted());
      st.setArray(2, array);
      List<String> out = new ArrayList<>();
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getString(1));
        }
      }
      return out;
    }
  }

  private static synchronized Connection connection() throws SQLException {
    if (connection == null) {
      TargetUrl url = TestPostgres.newDatabase();
      connection = TestPostgres.connect(url);
      try (Statement st = connection.createStatement()) {
        st.execute("SET TimeZone = 'UTC'");
        st.execute("SET DateStyle = 'ISO, YMD'");
        st.execute("SET extra_float_digits = 1");
        st.execute(
            "CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy', 'Ünïcode label', 'with space')");
        st.execute("CREATE DOMAIN short_name AS varchar(10) CHECK (VALUE <> '')");
        st.execute(
            """
            CREATE FUNCTION ferry_try(v text, t text) RETURNS text LANGUAGE plpgsql AS $$
            DECLARE r text;
            BEGIN
              IF v IS NULL THEN RETURN NULL; END IF;
              EXECUTE format('SELECT CASE WHEN pg_typeof(x) = ''boolean''::regtype'
                  ' THEN format(''%%s'', x) ELSE x::text END FROM (SELECT %L::%s AS x) s', v, t)
                INTO r;
              RETURN '=' || r;
            EXCEPTION WHEN others THEN RETURN '!' || SQLERRM;
            END $$""");
      }
    }
    return connection;
  }

  @Provide
  Arbitrary<Case> cases() {
    return Generated.types()
        .flatMap(
            t ->
                Generated.valuesFor(t)
                    .list()
                    .ofMinSize(10)
                    .ofMaxSize(40)
                    .map(vs -> new Case(t, vs)));
  }

  /** What a printed value means, read independently of Ferry's conversion code. */
  static final class Meaning {
    private Meaning() {}

    static boolean same(CatalogType t, Object source, String printed) {
      CatalogType b = base(t);
      return switch (b.kind()) {
        case TEXT, VARCHAR, CHAR, ENUM -> printed.equals(text(source));
        case SMALLINT, INTEGER, BIGINT, NUMERIC -> sameNumber(source, printed);
        case REAL, DOUBLE -> sameFloat(source, printed);
        case DATE, TIMESTAMP, TIMESTAMPTZ -> instant(text(source)).equals(instant(printed));
        case BYTEA ->
            java.util.Arrays.equals(
                java.util.HexFormat.of().parseHex(printed.substring(2)),
                source instanceof byte[] bytes
                    ? bytes
                    : text(source).getBytes(StandardCharsets.UTF_8));
        default -> true; // the server reading the source's text printed the same (checked above)
      };
    }

    private static String text(Object v) {
      if (v instanceof byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
      }
      return v instanceof Double d ? RealText.of(d) : v.toString();
    }

    private static boolean sameNumber(Object source, String printed) {
      if (printed.equals("NaN") || printed.endsWith("Infinity")) {
        return text(source).strip().equalsIgnoreCase(printed)
            || (source instanceof Double d && RealText.of(d).equals(printed));
      }
      if (source instanceof Double d) {
        return Double.parseDouble(printed) == d;
      }
      String s = text(source).strip();
      return new BigDecimal(printed)
              .compareTo(new BigDecimal(s.startsWith("+") ? s.substring(1) : s))
          == 0;
    }

    private static boolean sameFloat(Object source, String printed) {
      if (source instanceof Double d) {
        return Double.compare(Double.parseDouble(printed), d) == 0
            || (d == 0 && Double.parseDouble(printed) == 0);
      }
      if (printed.equals("NaN") || printed.endsWith("Infinity")) {
        return text(source).strip().equalsIgnoreCase(printed);
      }
      String s = text(source).strip();
      return new BigDecimal(printed)
              .compareTo(new BigDecimal(s.startsWith("+") ? s.substring(1) : s))
          == 0;
    }

    /** A date or timestamp text (ISO 8601; no zone = UTC) as an instant, by java.time. */
    static Instant instant(String s) {
      String t = s.strip();
      if (t.length() == 10) {
        return LocalDate.parse(t).atStartOfDay(ZoneOffset.UTC).toInstant();
      }
      t = t.substring(0, 10) + 'T' + t.substring(11);
      t = t.replace('z', 'Z');
      java.util.regex.Matcher m =
          java.util.regex.Pattern.compile("(.*T[0-9:.]+)([+-])(\\d{2}):?(\\d{2})?$").matcher(t);
      if (m.matches()) {
        t = m.group(1) + m.group(2) + m.group(3) + ":" + (m.group(4) == null ? "00" : m.group(4));
      }
      if (t.endsWith("Z") || m.matches()) {
        return OffsetDateTime.parse(t).toInstant();
      }
      return LocalDateTime.parse(t).toInstant(ZoneOffset.UTC);
    }
  }
}
