package dev.ferry.value;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Numbers into smallint/integer/bigint, numeric(p, s), real and double precision, never rounding: a
 * value is accepted only when the number PostgreSQL stores, printed, is the number the source holds
 * (for a REAL: reads back as the same double).
 */
final class NumberRules {
  /** PostgreSQL's integer input: optional sign, digits, spaces around. */
  private static final Pattern INTEGER_TEXT = Pattern.compile("\\s*[+-]?\\d+\\s*");

  private NumberRules() {}

  static String integer(Object v, long min, long max, String name) throws ValueDoesNotFit {
    if (v instanceof Long l) {
      return inRange(BigInteger.valueOf(l), min, max, name);
    }
    if ((v instanceof String || v instanceof byte[])
        && !INTEGER_TEXT.matcher(SourceValues.text(v)).matches()) {
      throw new ValueDoesNotFit(SourceValues.shown(v) + " is not a whole number");
    }
    if (SourceValues.nonFinite(v)) {
      throw new ValueDoesNotFit(SourceValues.kindOf(v) + " is not a number " + name + " holds");
    }
    BigDecimal d = SourceValues.decimal(v, name);
    BigInteger whole;
    try {
      whole = d.toBigIntegerExact();
    } catch (ArithmeticException e) {
      throw new ValueDoesNotFit(
          SourceValues.kindOf(v) + " has a fraction, which " + name + " would round away");
    }
    return inRange(whole, min, max, name);
  }

  private static String inRange(BigInteger w, long min, long max, String name)
      throws ValueDoesNotFit {
    if (w.compareTo(BigInteger.valueOf(min)) < 0 || w.compareTo(BigInteger.valueOf(max)) > 0) {
      throw new ValueDoesNotFit(
          w + " is out of range for " + name + " (" + min + " to " + max + ")");
    }
    return w.toString();
  }

  /**
   * numeric(p, s): printed with exactly s fraction digits; refused when it has more (PostgreSQL
   * would round) or more than p - s integer digits. Unconstrained numeric keeps the digits given.
   */
  static String numeric(Object v, int precision, int scale, String name) throws ValueDoesNotFit {
    if (SourceValues.nonFinite(v) || isSpecial(v)) {
      return special(v, precision, name);
    }
    BigDecimal d = SourceValues.decimal(v, name);
    if (precision < 0) {
      return JsonbText.number(d.toString());
    }
    BigDecimal scaled;
    try {
      scaled = d.setScale(scale, RoundingMode.UNNECESSARY);
    } catch (ArithmeticException e) {
      throw new ValueDoesNotFit(
          SourceValues.kindOf(v)
              + " has more than "
              + scale
              + " fraction digits, which "
              + name
              + " would round");
    }
    int integerDigits = scaled.precision() - scaled.scale();
    if (scaled.signum() != 0 && integerDigits > precision - scale) {
      throw new ValueDoesNotFit(
          SourceValues.kindOf(v)
              + " has "
              + integerDigits
              + " integer digits; "
              + name
              + " holds "
              + (precision - scale));
    }
    String s = scaled.toPlainString();
    return scaled.signum() == 0 && s.startsWith("-") ? s.substring(1) : s;
  }

  private static boolean isSpecial(Object v) throws ValueDoesNotFit {
    if (v instanceof String || v instanceof byte[]) {
      String s = SourceValues.text(v).strip().toLowerCase(Locale.ROOT);
      return s.equals("nan") || s.endsWith("infinity");
    }
    return false;
  }

  /** NaN fits any numeric; ±Infinity only an unconstrained one (PostgreSQL 14 and later). */
  private static String special(Object v, int precision, String name) throws ValueDoesNotFit {
    String s = SourceValues.text(v).strip().toLowerCase(Locale.ROOT);
    if (s.equals("nan")) {
      return "NaN";
    }
    if (precision < 0 && (s.equals("infinity") || s.equals("+infinity"))) {
      return "Infinity";
    }
    if (precision < 0 && s.equals("-infinity")) {
      return "-Infinity";
    }
    throw new ValueDoesNotFit(SourceValues.kindOf(v) + " is not a number " + name + " holds");
  }

  /** double precision: the double whose printed text is the source number exactly. */
  static String doublePrecision(Object v, String name) throws ValueDoesNotFit {
    if (v instanceof Double d) {
      return RealText.of(d);
    }
    if (isSpecial(v)) {
      return special(SourceValues.text(v).strip(), -1, name);
    }
    BigDecimal d = SourceValues.decimal(v, name);
    double x = d.doubleValue();
    String printed = RealText.of(x);
    if (!Double.isFinite(x) || new BigDecimal(printed).compareTo(d) != 0) {
      throw new ValueDoesNotFit(
          SourceValues.kindOf(v)
              + " is not exactly a "
              + name
              + " (it would become "
              + printed
              + ")");
    }
    return printed;
  }

  /** real: the float whose printed text reads back as the source number. */
  static String real(Object v, String name) throws ValueDoesNotFit {
    if (v instanceof Double d && !Double.isFinite(d)) {
      return RealText.of(d);
    }
    if (isSpecial(v)) {
      return special(SourceValues.text(v).strip(), -1, name);
    }
    BigDecimal exact = SourceValues.decimal(v, name);
    float f = v instanceof Double d ? (float) d.doubleValue() : exact.floatValue();
    String printed = floatText(f);
    boolean same =
        Float.isFinite(f)
            && (v instanceof Double d
                ? Double.parseDouble(printed) == d
                : new BigDecimal(printed).compareTo(exact) == 0);
    if (!same) {
      throw new ValueDoesNotFit(
          SourceValues.kindOf(v)
              + " is not exactly a "
              + name
              + " (it would become "
              + printed
              + ")");
    }
    return printed;
  }

  /**
   * The shortest decimal strictly inside the interval of numbers that read back as {@code a}
   * (positive, finite), the closest such when several have that length. Strictly: a decimal exactly
   * halfway to a neighbour is not taken, as PostgreSQL's float4out (Ryū) does not take it —
   * 67108900 lies halfway between two floats and PostgreSQL prints 6.7108896e+07 (Java would say
   * 6.71089E7).
   */
  private static BigDecimal shortestInside(float a) {
    BigDecimal exact = new BigDecimal(a);
    BigDecimal two = BigDecimal.valueOf(2);
    BigDecimal hi = exact.add(new BigDecimal(Math.ulp(a)).divide(two));
    BigDecimal lo = exact.add(new BigDecimal(Math.nextDown(a))).divide(two);
    for (int digits = 1; digits < 12; digits++) {
      BigDecimal c = exact.round(new java.math.MathContext(digits, RoundingMode.HALF_EVEN));
      if (c.compareTo(lo) > 0 && c.compareTo(hi) < 0) {
        return c.stripTrailingZeros();
      }
    }
    return exact.stripTrailingZeros();
  }

  /** A float as PostgreSQL's float4out prints it: shortest digits, plain for 1e-4 ≤ |f| < 1e6. */
  static String floatText(float f) {
    if (Float.isNaN(f)) {
      return "NaN";
    }
    if (Float.isInfinite(f)) {
      return f > 0 ? "Infinity" : "-Infinity";
    }
    if (f == 0) {
      return Float.floatToRawIntBits(f) < 0 ? "-0" : "0";
    }
    BigDecimal shortest = shortestInside(Math.abs(f));
    String digits = shortest.unscaledValue().abs().toString();
    int exponent = digits.length() - 1 - shortest.scale();
    StringBuilder out = new StringBuilder();
    if (f < 0) {
      out.append('-');
    }
    if (exponent >= -4 && exponent < 6) {
      out.append(shortest.abs().toPlainString());
    } else {
      out.append(digits.charAt(0));
      if (digits.length() > 1) {
        out.append('.').append(digits, 1, digits.length());
      }
      out.append(exponent < 0 ? "e-" : "e+");
      int abs = Math.abs(exponent);
      out.append(abs < 10 ? "0" : "").append(abs);
    }
    return out.toString();
  }
}
