package dev.ferry.value;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.postgres.TargetUrl;
import dev.ferry.testing.Ferry;
import dev.ferry.testing.Sqlite;
import dev.ferry.testing.TestPostgres;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A REAL kept as text reads as PostgreSQL writes it: the shortest decimal that reads back as the
 * same double, plain for ordinary magnitudes. The oracle is the server's own float8out.
 */
class RealTextTest {
  @TempDir Path tmp;

  private final Random random = new Random(11);

  /** Doubles of every kind: random bit patterns, every magnitude, short decimals, edges. */
  private List<Double> doubles(int n) {
    List<Double> out =
        new ArrayList<>(
            List.of(
                0.0005,
                1715201543.347495,
                0.0,
                -0.0,
                1.0,
                1e15,
                1e-4,
                9.99999e-5,
                123456789012345.6,
                Double.MIN_VALUE,
                Double.MAX_VALUE,
                Double.MIN_NORMAL,
                Double.parseDouble("2e23"),
                Double.longBitsToDouble(1),
                Double.NaN,
                Double.POSITIVE_INFINITY,
                Double.NEGATIVE_INFINITY));
    while (out.size() < n) {
      double d =
          switch (out.size() % 4) {
            case 0 -> Double.longBitsToDouble(random.nextLong());
            case 1 -> random.nextGaussian() * Math.pow(10, random.nextInt(40) - 20);
            case 2 -> Math.round(random.nextDouble() * 1e6) / Math.pow(10, random.nextInt(12));
            default -> (random.nextInt(2_000_000) - 1_000_000) * Math.pow(10, random.nextInt(8));
          };
      out.add(d);
    }
    return out;
  }

  @Test
  void everyDoubleIsWrittenAsPostgresWritesItAndReadsBackTheSame() throws Exception {
    List<Double> values = doubles(20_000);
    TargetUrl url = TestPostgres.newDatabase();
    try (Connection c = TestPostgres.connect(url)) {
      try (Statement st = c.createStatement()) {
        st.execute("SET extra_float_digits = 1");
      }
      Array array = c.createArrayOf("float8", values.toArray());
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT v::text FROM unnest(?::float8[]) WITH ORDINALITY AS u(v, n) ORDER BY n")) {
        ps.setArray(1, array);
        try (ResultSet rs = ps.executeQuery()) {
          for (double d : values) {
            assertThat(rs.next()).isTrue();
            String text = RealText.of(d);
            assertThat(text).as("float8out(%s)", d).isEqualTo(rs.getString(1));
            if (Double.isFinite(d)) {
              assertThat(Double.parseDouble(text)).as(text).isEqualTo(d);
              assertThat(text).doesNotContain("E");
            }
          }
        }
      }
    }
  }

  @Test
  void realsInAMixedTextColumnLoadAsPostgresWouldWriteThemAndVerify() throws Exception {
    Path db =
        Sqlite.create(
            tmp.resolve("mixed.db"),
            """
            CREATE TABLE readings (id INTEGER PRIMARY KEY, v);
            INSERT INTO readings (v) VALUES (0.0005);
            INSERT INTO readings (v) VALUES (1715201543.347495);
            INSERT INTO readings (v) VALUES ('n/a');
            INSERT INTO readings (v) VALUES (1e20);
            INSERT INTO readings (v) VALUES (0.1)""");
    TargetUrl url = TestPostgres.newDatabase();
    Ferry.Result r = Ferry.run("migrate", db, "--target", url.display(), "--verify", "full");
    assertThat(r.exitCode()).as(r.all()).isZero();
    List<String> texts = new ArrayList<>();
    try (Connection c = TestPostgres.connect(url);
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT v FROM readings ORDER BY id")) {
      while (rs.next()) {
        texts.add(rs.getString(1));
      }
    }
    assertThat(texts).containsExactly("0.0005", "1715201543.347495", "n/a", "1e+20", "0.1");
  }
}
