package dev.ferry.verify;

import java.math.BigInteger;

/**
 * An order-independent checksum of a table: its row count and the sum of each row's hash (the first
 * 64 bits of the MD5 of its canonical encoding, as a signed big-endian integer). Both sides compute
 * it, the source while streaming rows, PostgreSQL in one query.
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

  /** The 64-bit row hash of a 16-byte MD5 digest: its first 8 bytes, big-endian, signed. */
  public static long rowHash(byte[] md5) {
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (md5[i] & 0xff);
    }
    return v;
  }
}
