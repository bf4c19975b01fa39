package dev.ferry.load;

import java.math.BigDecimal;

/** PostgreSQL's binary numeric: base-10000 digits with weight, sign and display scale. */
final class NumericBinary {
  private static final int POSITIVE = 0x0000;
  private static final int NEGATIVE = 0x4000;
  private static final int PLUS_INFINITY = 0xD000;
  private static final int MINUS_INFINITY = 0xF000;

  private NumericBinary() {}

  static void write(FieldBuffer out, double d) {
    if (Double.isInfinite(d)) {
      out.int32(8);
      out.int16(0);
      out.int16(0);
      out.int16(d > 0 ? PLUS_INFINITY : MINUS_INFINITY);
      out.int16(0);
      return;
    }
    write(out, new BigDecimal(Double.toString(d)));
  }

  static void write(FieldBuffer out, BigDecimal value) {
    BigDecimal v = value.scale() < 0 ? value.setScale(0) : value;
    int dscale = v.scale();
    String digits = v.unscaledValue().abs().toString();
    int intLen = digits.length() - dscale;
    String intPart = intLen > 0 ? digits.substring(0, intLen) : "";
    String fracPart = intLen > 0 ? digits.substring(intLen) : "0".repeat(-intLen) + digits;
    int intPad = (4 - intPart.length() % 4) % 4;
    String intPadded = "0".repeat(intPad) + intPart;
    int fracPad = (4 - fracPart.length() % 4) % 4;
    String fracPadded = fracPart + "0".repeat(fracPad);
    String all = intPadded + fracPadded;
    int groups = all.length() / 4;
    int intGroups = intPadded.length() / 4;
    short[] g = new short[groups];
    for (int i = 0; i < groups; i++) {
      g[i] = Short.parseShort(all.substring(i * 4, i * 4 + 4));
    }
    int first = 0;
    while (first < groups && g[first] == 0) {
      first++;
    }
    int last = groups - 1;
    while (last >= first && g[last] == 0) {
      last--;
    }
    int ndigits = last >= first ? last - first + 1 : 0;
    int weight = ndigits == 0 ? 0 : intGroups - 1 - first;
    int sign = v.signum() < 0 ? NEGATIVE : POSITIVE;
    out.int32(8 + 2 * ndigits);
    out.int16(ndigits);
    out.int16(weight);
    out.int16(sign);
    out.int16(dscale);
    for (int i = first; i <= last; i++) {
      out.int16(g[i]);
    }
  }
}
