package dev.ferry.value;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/**
 * One rule for a time with a UTC offset, whichever route it takes into a date/time column: ISO text
 * as the source stores it, or another form read by a {@code {date:}} pattern. timestamp (without
 * time zone) and date get the UTC wall time (and the UTC date) from both, as Ferry writes a
 * timestamp without time zone everywhere; timestamptz takes the instant from both.
 */
class OffsetsIntoWallTimesTest {
  private static final Transform RFC822 =
      Transforms.parse("t", "c", Map.of("date", "EEE, dd MMM yyyy HH:mm:ss Z"));

  @Property(tries = 300)
  void isoTextAndADatePatternAgreeOnEveryTimeType(
      @ForAll @LongRange(min = 0, max = 4_102_444_800L) long epochSecond,
      @ForAll @IntRange(min = -56, max = 56) int quarterHours,
      @ForAll boolean midnight) {
    long second = midnight ? epochSecond - Math.floorMod(epochSecond, 86_400) : epochSecond;
    OffsetDateTime at =
        Instant.ofEpochSecond(second).atOffset(ZoneOffset.ofTotalSeconds(quarterHours * 900));
    String iso = at.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
    String rfc =
        at.format(DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss Z", Locale.ENGLISH));
    for (String type : List.of("timestamp", "timestamptz", "date")) {
      Conversion c = Conversion.to(CatalogType.parse(type));
      String byText = outcome(c, iso);
      String byPattern = outcome(c, RFC822, rfc);
      assertThat(byPattern).as("%s: %s and %s", type, iso, rfc).isEqualTo(byText);
    }
    String wall = outcome(Conversion.to(CatalogType.parse("timestamp")), iso);
    assertThat(wall + "+00")
        .as("%s: the UTC wall time of the same instant", iso)
        .isEqualTo(outcome(Conversion.to(CatalogType.parse("timestamptz")), iso));
  }

  private static String outcome(Conversion c, String text) {
    try {
      return c.copyText(text);
    } catch (ValueDoesNotFit e) {
      return "refused";
    }
  }

  private static String outcome(Conversion c, Transform t, String text) {
    try {
      return c.copyText(t.apply(text));
    } catch (ValueDoesNotFit e) {
      return "refused";
    }
  }
}
