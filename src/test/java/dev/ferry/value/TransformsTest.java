package dev.ferry.value;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/** The ferry.yaml transforms, against java.time and exact decimal arithmetic as oracles. */
class TransformsTest {
  private static final List<String> ZONED_PATTERNS =
      List.of(
          "EEE, dd MMM yyyy HH:mm:ss Z",
          "yyyy/MM/dd HH:mm:ss.SSSSSSXXX",
          "dd.MM.yyyy HH:mm:ss Z",
          "MMM d, yyyy h:mm:ss a xx");

  @Property(tries = 300)
  void anInstantFormattedInAnyListedPatternReadsBackAsTheSameInstant(
      @ForAll @LongRange(min = -2_208_988_800L, max = 4_102_444_800L) long epochSecond,
      @ForAll @IntRange(min = 0, max = 999_999) int micros,
      @ForAll @IntRange(min = -12 * 4, max = 14 * 4) int quarterHours,
      @ForAll("patternIndex") int which)
      throws ValueDoesNotFit {
    String pattern = ZONED_PATTERNS.get(which);
    boolean keepsMicros = pattern.contains("SSSSSS");
    Instant instant = Instant.ofEpochSecond(epochSecond, keepsMicros ? micros * 1000L : 0);
    ZonedDateTime local = instant.atZone(ZoneOffset.ofTotalSeconds(quarterHours * 15 * 60));
    String text = DateTimeFormatter.ofPattern(pattern, Locale.ENGLISH).format(local);
    Transform t = Transforms.parse("feed", "published", Map.of("date", ZONED_PATTERNS));
    assertThat(t.apply(text)).as(text).isEqualTo(instant);
  }

  @Provide
  Arbitrary<Integer> patternIndex() {
    return Arbitraries.integers().between(0, ZONED_PATTERNS.size() - 1);
  }

  @Property(tries = 200)
  void aPatternWithoutAZoneGivesTheWallTimeWhichTimestamptzReadsAsUtc(
      @ForAll @LongRange(min = 0, max = 4_102_444_800L) long epochSecond) throws Exception {
    LocalDateTime wall = LocalDateTime.ofEpochSecond(epochSecond, 0, ZoneOffset.UTC);
    String text = DateTimeFormatter.ofPattern("dd/MM/yyyy HH:mm:ss", Locale.ROOT).format(wall);
    Object out = Transforms.parse("t", "c", Map.of("date", "dd/MM/yyyy HH:mm:ss")).apply(text);
    assertThat(out).isEqualTo(wall);
    assertThat(Conversion.to(CatalogType.parse("timestamptz")).copyText(out))
        .isEqualTo(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").format(wall) + "+00");
  }

  @Property(tries = 300)
  void integerEpochsAreExactInstants(
      @ForAll @LongRange(min = -62_135_596_800L, max = 253_402_300_799L) long seconds)
      throws ValueDoesNotFit {
    assertThat(Transforms.parse("t", "c", "epoch_seconds").apply(seconds))
        .isEqualTo(Instant.ofEpochSecond(seconds));
    long millis = seconds * 1000 + Math.floorMod(seconds, 1000);
    assertThat(Transforms.parse("t", "c", "epoch_ms").apply(millis))
        .isEqualTo(Instant.ofEpochMilli(millis));
  }

  /**
   * A REAL epoch keeps the fraction SQLite shows for it, exactly: the instant is the shown decimal,
   * to the microsecond, whenever that decimal has at most six fraction digits (seconds) or three
   * (milliseconds), and otherwise it is refused, never rounded.
   */
  @Property(tries = 500)
  void realEpochsKeepTheirFractionExactlyOrAreRefused(
      @ForAll @LongRange(min = -2_208_988_800_000_000L, max = 4_102_444_800_000_000L) long micros,
      @ForAll @IntRange(min = 0, max = 7) int fractionDigits,
      @ForAll boolean inMillis) {
    BigDecimal exact =
        BigDecimal.valueOf(micros, 6).setScale(fractionDigits, java.math.RoundingMode.DOWN);
    BigDecimal shown = inMillis ? exact.movePointRight(3) : exact;
    double real = shown.doubleValue();
    BigDecimal sqliteShows = new BigDecimal(RealText.of(real));
    BigDecimal asMicros = sqliteShows.movePointRight(inMillis ? 3 : 6);
    Transform t = Transforms.parse("t", "c", inMillis ? "epoch_ms" : "epoch_seconds");
    Object out;
    try {
      out = t.apply(real);
    } catch (ValueDoesNotFit refused) {
      assertThat(asMicros.stripTrailingZeros().scale()).as(refused.reason()).isPositive();
      return;
    }
    long expected = asMicros.longValueExact();
    assertThat(out)
        .isEqualTo(
            Instant.ofEpochSecond(
                Math.floorDiv(expected, 1_000_000L), Math.floorMod(expected, 1_000_000L) * 1000));
  }

  @Example
  void seed001sRealEpochKeepsItsMicroseconds() throws Exception {
    Object out = Transforms.parse("tweets", "created_at", "epoch_seconds").apply(1715201543.347495);
    assertThat(Conversion.to(CatalogType.parse("timestamp with time zone")).copyText(out))
        .isEqualTo("2024-05-08 20:52:23.347495+00");
  }

  @Example
  void aFractionFinerThanAMicrosecondIsRefusedNotRounded() {
    Throwable t =
        catchThrowable(() -> Transforms.parse("t", "c", "epoch_seconds").apply(1.0000001));
    assertThat(t)
        .isInstanceOf(ValueDoesNotFit.class)
        .hasMessageContaining("finer than a microsecond");
  }

  @Example
  void rssDatesAsSeed002sFeedsWriteThem() throws ValueDoesNotFit {
    Transform rfc = Transforms.parse("articles", "pub_date", Map.of("date", "rfc1123"));
    assertThat(rfc.apply("Tue, 3 Jun 2008 11:05:30 GMT"))
        .isEqualTo(Instant.parse("2008-06-03T11:05:30Z"));
    assertThatThrownBy(() -> rfc.apply("31 Apr 2024 10:00:00 GMT")) // not 30 Apr, silently
        .isInstanceOf(ValueDoesNotFit.class);
    Transform pattern =
        Transforms.parse("articles", "pub_date", Map.of("date", "EEE, dd MMM yyyy HH:mm:ss Z"));
    assertThat(pattern.apply("Mon, 06 Sep 2021 10:00:00 +0200"))
        .isEqualTo(Instant.parse("2021-09-06T08:00:00Z"));
    assertThat(pattern.apply("2021-09-06 08:00:00Z")).isEqualTo("2021-09-06 08:00:00Z");
    assertThatThrownBy(() -> pattern.apply("Tue, 06 Sep 2021 10:00:00 +0200"))
        .isInstanceOf(ValueDoesNotFit.class)
        .hasMessageContaining("matches none of the date patterns");
    assertThatThrownBy(() -> pattern.apply("Thu, 30 Feb 2021 10:00:00 +0200"))
        .isInstanceOf(ValueDoesNotFit.class);
  }

  @Property(tries = 200)
  void emptyAsNullTurnsOnlyBlankTextIntoNull(@ForAll String s) throws ValueDoesNotFit {
    Object out = Transforms.parse("t", "c", "empty_as_null").apply(s);
    assertThat(out).isEqualTo(s.isBlank() ? null : s);
    assertThat(Transforms.parse("t", "c", "empty_as_null").apply(5L)).isEqualTo(5L);
  }

  @Example
  void aListAppliesEachTransformInOrder() throws ValueDoesNotFit {
    Transform t = Transforms.parse("t", "expires_at", List.of("empty_as_null", "epoch_seconds"));
    assertThat(t.apply("  ")).isNull();
    assertThat(t.apply("1700000000")).isEqualTo(Instant.ofEpochSecond(1_700_000_000L));
    assertThat(t.describe()).contains("empty_as_null").contains("epoch_seconds");
  }

  @Example
  void anUnknownSpecIsAConfigurationErrorNamingTheColumnAndTheValidOnes() {
    for (Object bad :
        new Object[] {
          "epoch_minutes",
          42,
          null,
          Map.of("dates", "yyyy"),
          Map.of("date", 5),
          Map.of("date", List.of()),
          Map.of("date", "yyyy-MM-dd bbbb")
        }) {
      Throwable t = catchThrowable(() -> Transforms.parse("tweets", "created_at", bad));
      assertThat(t).as(String.valueOf(bad)).isInstanceOf(FerryException.class);
      assertThat(((FerryException) t).code()).isEqualTo(ErrorCode.USAGE);
      assertThat(t.getMessage())
          .contains("tweets.created_at")
          .contains("empty_as_null")
          .contains("epoch_seconds")
          .contains("epoch_ms")
          .contains("date");
    }
  }
}
