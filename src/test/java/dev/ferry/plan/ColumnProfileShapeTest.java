package dev.ferry.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.source.RowCursor;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * A one-pass load computes a column's shape only when {@link ColumnProfile#add} says the value may
 * have moved it. Over generated columns of mixed values (integers at the boundaries the shape
 * tracks, reals, texts that are or are almost JSON, timestamps, dates, numbers and booleans,
 * invalid UTF-8, blobs, NULLs): whenever add says "not moved", the shape is exactly what it was.
 */
class ColumnProfileShapeTest {

  @Property(tries = 300)
  void aValueThatDoesNotMoveTheShapeLeavesItAsItWas(@ForAll("columns") List<Object> values) {
    ColumnProfile p = new ColumnProfile();
    long shape = p.shape();
    OneValue cursor = new OneValue();
    for (Object v : values) {
      cursor.value = v;
      boolean moved = p.add(cursor, 0);
      long now = p.shape();
      if (!moved) {
        assertThat(now).as("shape after %s, reported as not moved", v).isEqualTo(shape);
      }
      shape = now;
    }
  }

  @Provide
  Arbitrary<List<Object>> columns() {
    Arbitrary<Object> integers =
        Arbitraries.oneOf(
            Arbitraries.of(
                    0L,
                    1L,
                    -1L,
                    2L,
                    32_767L,
                    32_768L,
                    -32_768L,
                    -32_769L,
                    1L << 53,
                    (1L << 53) + 1,
                    -(1L << 53) - 1,
                    99_999_999_999L,
                    100_000_000_000L,
                    253_402_300_799_999L,
                    253_402_300_800_000L,
                    Long.MAX_VALUE,
                    Long.MIN_VALUE)
                .map(Object.class::cast),
            Arbitraries.longs().map(Object.class::cast));
    Arbitrary<Object> reals =
        Arbitraries.of(0.0, 1.5, -2.0, 1e300, Double.NaN, Double.POSITIVE_INFINITY)
            .map(Object.class::cast);
    Arbitrary<Object> texts =
        Arbitraries.of(
                "",
                "a",
                "hello world",
                "{\"a\": 1}",
                "{\"a\": 1, \"a\": 2}",
                "[1, 2]",
                "\"x\"",
                "42",
                "-1.5e3",
                "true",
                "yes",
                "2024-02-29",
                "2024-02-30",
                "2024-02-29 12:34:56",
                "2024-02-29T12:34:56.123Z",
                "{\"a\": \"\\u0000\"}",
                "{not json",
                "ünïcödé text that is longer than the others")
            .map(Object.class::cast);
    Arbitrary<Object> bad =
        Arbitraries.of(new byte[] {(byte) 0xff, 'a'}, new byte[] {'a', 0, 'b'})
            .map(b -> (Object) new Bad(b));
    Arbitrary<Object> blobs = Arbitraries.just(new byte[] {1, 2}).map(Object.class::cast);
    Arbitrary<Object> value =
        Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(4, integers),
            net.jqwik.api.Tuple.of(1, reals),
            net.jqwik.api.Tuple.of(5, texts),
            net.jqwik.api.Tuple.of(1, bad),
            net.jqwik.api.Tuple.of(1, blobs),
            net.jqwik.api.Tuple.of(1, Arbitraries.<Object>just(null)));
    return value.list().ofMinSize(1).ofMaxSize(60);
  }

  /** Invalid text: stored as TEXT, bytes that are not UTF-8 or hold a NUL. */
  static final class Bad {
    private final byte[] bytes;

    Bad(byte[] bytes) {
      this.bytes = bytes.clone();
    }

    byte[] bytes() {
      return bytes.clone();
    }

    @Override
    public String toString() {
      return "Bad" + java.util.Arrays.toString(bytes);
    }
  }

  /** A cursor over one row of one column. */
  private static final class OneValue implements RowCursor {
    Object value;

    @Override
    public boolean next() {
      return false;
    }

    @Override
    public int type(int i) {
      if (value == null) {
        return NULL;
      }
      if (value instanceof Long) {
        return INTEGER;
      }
      if (value instanceof Double) {
        return REAL;
      }
      return value instanceof String || value instanceof Bad ? TEXT : BLOB;
    }

    @Override
    public long longValue(int i) {
      return (Long) value;
    }

    @Override
    public double doubleValue(int i) {
      return (Double) value;
    }

    @Override
    public byte[] bytes(int i) {
      if (value instanceof String s) {
        return s.getBytes(StandardCharsets.UTF_8);
      }
      return value instanceof Bad b ? b.bytes() : ((byte[]) value).clone();
    }

    @Override
    public long rowid() {
      return 1;
    }

    @Override
    public String rowKey() {
      return "rowid 1";
    }

    @Override
    public void close() {}
  }
}
