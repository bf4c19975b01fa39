package dev.ferry.value;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;

/**
 * epoch_seconds / epoch_ms: a number counting from 1970-01-01 UTC becomes that instant. A REAL is
 * read as the decimal SQLite shows for it (the shortest that reads back as the same double), so
 * {@code 1715201543.347495} is 21:32:23.347495 exactly; a fraction finer than a microsecond is
 * refused, never rounded. Texts holding a number are read the same way; NULL stays NULL.
 */
final class Epoch implements Transform {
  private static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);
  private static final BigDecimal THOUSAND = BigDecimal.valueOf(1_000);

  private final boolean millis;

  Epoch(boolean millis) {
    this.millis = millis;
  }

  @Override
  public Object apply(Object value) throws ValueDoesNotFit {
    if (value == null) {
      return null;
    }
    if (!(value instanceof Long
        || value instanceof Double
        || value instanceof String
        || value instanceof BigDecimal)) {
      throw new ValueDoesNotFit(SourceValues.kindOf(value) + " is not an epoch number");
    }
    BigDecimal n = SourceValues.decimal(value, "an epoch");
    BigDecimal micros = n.multiply(millis ? THOUSAND : MILLION);
    BigDecimal whole;
    try {
      whole = micros.setScale(0, RoundingMode.UNNECESSARY);
    } catch (ArithmeticException e) {
      throw new ValueDoesNotFit(
          SourceValues.kindOf(value)
              + " has a fraction finer than a microsecond, which a timestamp would round");
    }
    if (whole.abs().compareTo(BigDecimal.valueOf(Long.MAX_VALUE / 2)) > 0) {
      throw new ValueDoesNotFit(SourceValues.kindOf(value) + " is too far from 1970 for a date");
    }
    long us = whole.longValueExact();
    Instant i =
        Instant.ofEpochSecond(Math.floorDiv(us, 1_000_000L), Math.floorMod(us, 1_000_000L) * 1000);
    return checked(i, value);
  }

  private static Instant checked(Instant i, Object value) throws ValueDoesNotFit {
    try {
      TimeText.micros(i);
    } catch (ValueDoesNotFit e) {
      throw new ValueDoesNotFit(
          SourceValues.kindOf(value) + " is " + i + ", outside the years 1 to 9999");
    }
    return i;
  }

  @Override
  public String describe() {
    return millis
        ? "epoch_ms: milliseconds since 1970-01-01 UTC become a timestamp (fractions kept to the"
            + " microsecond)"
        : "epoch_seconds: seconds since 1970-01-01 UTC become a timestamp (fractions kept to the"
            + " microsecond)";
  }
}
