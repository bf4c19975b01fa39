package dev.ferry.value;

import com.fasterxml.jackson.core.io.schubfach.DoubleToDecimal;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * A REAL written as text the way a person and PostgreSQL write it: the shortest decimal that reads
 * back as the same double (PostgreSQL's {@code float8out} since version 12), in plain notation for
 * ordinary magnitudes ({@code 0.0005}, {@code 1715201543.347495}) and {@code 1e+20} / {@code
 * 1.5e-05} outside [1e-4, 1e15), exactly as {@code float8out} chooses. Never Java's {@code 5.0E-4}
 * and never SQLite's 15-digit rendering, which loses digits.
 *
 * <p>The shortest digits come from Schubfach (jackson-core's {@code DoubleToDecimal}): JDK 17's
 * {@code Double.toString} is not always shortest (JDK-4511638, fixed in 19). Every place where a
 * REAL becomes text uses this class, so the loaded text and its checksum agree with the source.
 */
public final class RealText {
  private RealText() {}

  /** {@code d} as PostgreSQL's {@code float8out} writes it (extra_float_digits ≥ 1). */
  public static String of(double d) {
    if (Double.isNaN(d)) {
      return "NaN";
    }
    if (Double.isInfinite(d)) {
      return d > 0 ? "Infinity" : "-Infinity";
    }
    if (d == 0) {
      return (Double.doubleToRawLongBits(d) < 0) ? "-0" : "0";
    }
    BigDecimal shortest = new BigDecimal(DoubleToDecimal.toString(d)).stripTrailingZeros();
    if (shortest.precision() == 2) { // Java writes at least two digits (4.9E-324 for 5e-324)
      BigDecimal one = shortest.round(new MathContext(1, RoundingMode.HALF_EVEN));
      if (Double.parseDouble(one.toString()) == d) {
        shortest = one.stripTrailingZeros();
      }
    }
    if (Math.abs(d) >= 0x1p28 && onBoundary(d, shortest)) {
      shortest = insideBounds(d, shortest.precision() + 1);
    }
    String digits = shortest.unscaledValue().abs().toString();
    int exponent = digits.length() - 1 - shortest.scale(); // d = digits[0].digits[1..] × 10^exp
    StringBuilder out = new StringBuilder(digits.length() + 8);
    if (d < 0) {
      out.append('-');
    }
    if (exponent >= -4 && exponent < 15) {
      plain(out, digits, exponent);
    } else {
      out.append(digits.charAt(0));
      if (digits.length() > 1) {
        out.append('.').append(digits, 1, digits.length());
      }
      out.append(exponent < 0 ? "e-" : "e+");
      int abs = Math.abs(exponent);
      if (abs < 10) {
        out.append('0');
      }
      out.append(abs);
    }
    return out.toString();
  }

  /**
   * True when {@code decimal} lies exactly half-way between {@code d} and a neighbour. Schubfach
   * (like Java) accepts such a decimal when round-half-even reads it back as {@code d};
   * PostgreSQL's Ryu never does ({@code 2e+23} is written {@code 1.9999999999999998e+23}). Only
   * doubles of at least 2^28 can be half-way from a decimal of 17 digits or fewer.
   */
  private static boolean onBoundary(double d, BigDecimal decimal) {
    BigDecimal exact = new BigDecimal(d);
    for (double neighbour : new double[] {Math.nextUp(d), Math.nextDown(d)}) {
      if (Double.isFinite(neighbour)
          && decimal.compareTo(exact.add(new BigDecimal(neighbour)).divide(BigDecimal.valueOf(2)))
              == 0) {
        return true;
      }
    }
    return false;
  }

  /** The shortest decimal of at least {@code from} digits strictly inside d's rounding interval. */
  private static BigDecimal insideBounds(double d, int from) {
    BigDecimal exact = new BigDecimal(d);
    for (int p = from; p < 17; p++) {
      BigDecimal c = exact.round(new MathContext(p, RoundingMode.HALF_EVEN));
      if (Double.parseDouble(c.toString()) == d && !onBoundary(d, c)) {
        return c.stripTrailingZeros();
      }
    }
    return exact.round(new MathContext(17, RoundingMode.HALF_EVEN)).stripTrailingZeros();
  }

  private static void plain(StringBuilder out, String digits, int exponent) {
    if (exponent < 0) {
      out.append("0.");
      out.append("0".repeat(-exponent - 1));
      out.append(digits);
    } else if (digits.length() <= exponent + 1) {
      out.append(digits);
      out.append("0".repeat(exponent + 1 - digits.length()));
    } else {
      out.append(digits, 0, exponent + 1).append('.').append(digits, exponent + 1, digits.length());
    }
  }

  /** {@link #of} as ASCII bytes, for COPY fields. */
  public static byte[] bytes(double d) {
    return of(d).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  }
}
