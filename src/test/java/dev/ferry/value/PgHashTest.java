package dev.ferry.value;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.postgres.TargetUrl;
import dev.ferry.testing.TestPostgres;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Ferry's PgHash equals PostgreSQL's own hash functions, bit for bit, on thousands of inputs. */
class PgHashTest {
  private final Random random = new Random(7);

  @Test
  void equalsTheServersHashFunctions() throws Exception {
    TargetUrl url = TestPostgres.newDatabase();
    try (Connection c = TestPostgres.connect(url);
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT hashtextextended(?, ?), hashint4extended(?, ?), hashint8extended(?, ?), hashfloat8extended(?, ?)")) {
      for (int i = 0; i < 2000; i++) {
        String text = text(random.nextInt(40));
        long seed = i % 3 == 0 ? 0 : random.nextLong();
        int i4 = random.nextInt();
        long i8 = i % 5 == 0 ? random.nextInt(1000) - 500 : random.nextLong();
        double f8 =
            i % 7 == 0 ? 0.0 : random.nextGaussian() * Math.pow(10, random.nextInt(40) - 20);
        ps.setString(1, text);
        ps.setLong(2, seed);
        ps.setInt(3, i4);
        ps.setLong(4, seed);
        ps.setLong(5, i8);
        ps.setLong(6, seed);
        ps.setDouble(7, f8);
        ps.setLong(8, seed);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          byte[] b = text.getBytes(StandardCharsets.UTF_8);
          assertThat(PgHash.bytes(b, 0, b.length, seed))
              .as("hashtextextended('%s', %d)", text, seed)
              .isEqualTo(rs.getLong(1));
          assertThat(PgHash.uint32(i4, seed))
              .as("hashint4extended(%d, %d)", i4, seed)
              .isEqualTo(rs.getLong(2));
          assertThat(PgHash.int8(i8, seed))
              .as("hashint8extended(%d, %d)", i8, seed)
              .isEqualTo(rs.getLong(3));
          assertThat(PgHash.float8(f8, seed))
              .as("hashfloat8extended(%s, %d)", f8, seed)
              .isEqualTo(rs.getLong(4));
        }
      }
    }
  }

  private String text(int length) {
    String[] pieces = {"a", "Z", "0", " ", "é", "日", "😀", "\n", "~"};
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < length; i++) {
      s.append(pieces[random.nextInt(pieces.length)]);
    }
    return s.toString();
  }
}
