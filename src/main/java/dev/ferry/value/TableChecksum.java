package dev.ferry.value;

import java.math.BigInteger;

/**
 * An order-independent checksum of a table: its row count and the sum of each row's 64-bit hash
 * (the XOR of each field's seeded PostgreSQL hash, see verify.ChecksumSql and target.RowHasher).
 * Both sides compute it, the source while streaming rows, PostgreSQL in one query.
 */
public record TableChecksum(long rows, BigInteger sum) {

  /** Accumulates row hashes without overflow: high and low 32-bit halves summed apart. */
  public static final class Accumulator {
    private long rows;
    private long high;
    private long low;

    public void add(long rowHash) {
      rows++;
      high += rowHash >> 32;
      low += rowHash & 0xffffffffL;
    }

    public TableChecksum result() {
      return new TableChecksum(
          rows, BigInteger.valueOf(high).shiftLeft(32).add(BigInteger.valueOf(low)));
    }
  }

  /** The hash standing for NULL at a (0-based) column position in a row hash. */
  public static long nullHash(int position) {
    return dev.ferry.value.PgHash.int8(position + 1, 0x6e756c6cL);
  }
}
