package dev.ferry.value;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/** The value rules agree with independent oracles: java.time and the JDK's strict UTF-8 decoder. */
class ValuePropertiesTest {
  private static final long PG_EPOCH_MICROS = 946_684_800_000_000L;

  @Property
  void utf8LengthAgreesWithTheJdkDecoder(@ForAll byte[] bytes) {
    String decoded;
    try {
      decoded =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes))
              .toString();
    } catch (CharacterCodingException e) {
      decoded = null;
    }
    int expected =
        decoded == null || decoded.indexOf('\0') >= 0
            ? -1
            : decoded.codePointCount(0, decoded.length());
    assertThat(Utf8.pgTextLength(bytes)).isEqualTo(expected);
  }

  @Property
  void utf8LengthOfAnyStringWithoutNul(@ForAll String s) {
    int[] cps = s.codePoints().filter(cp -> cp != 0 && (cp < 0xd800 || cp > 0xdfff)).toArray();
    String text = new String(cps, 0, cps.length);
    assertThat(Utf8.pgTextLength(text.getBytes(StandardCharsets.UTF_8))).isEqualTo(cps.length);
  }

  @Property
  void epochDayEqualsJavaTime(
      @ForAll @IntRange(min = 1, max = 9999) int year,
      @ForAll @IntRange(min = 1, max = 12) int month,
      @ForAll @IntRange(min = 1, max = 31) int day) {
    if (day <= LocalDate.of(year, month, 1).lengthOfMonth()) {
      assertThat(Timestamps.epochDay(year, month, day))
          .isEqualTo(LocalDate.of(year, month, day).toEpochDay());
    }
  }

  @Property
  void timestampTextsParseToTheSameInstantAsJavaTime(
      @ForAll("instants") LocalDateTime t,
      @ForAll("offsets") ZoneOffset offset,
      @ForAll("styles") int style) {
    String text =
        switch (style) {
          case 0 ->
              t.truncatedTo(ChronoUnit.SECONDS)
                  .format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss"));
          case 1 -> t.format(DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS")) + "Z";
          case 2 ->
              t.atOffset(offset)
                  .format(DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSxxx"));
          default -> t.format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm"));
        };
    OffsetDateTime expected =
        switch (style) {
          case 0 -> t.truncatedTo(ChronoUnit.SECONDS).atOffset(ZoneOffset.UTC);
          case 1 -> t.atOffset(ZoneOffset.UTC);
          case 2 -> t.truncatedTo(ChronoUnit.MILLIS).atOffset(offset);
          default -> t.truncatedTo(ChronoUnit.MINUTES).atOffset(ZoneOffset.UTC);
        };
    long micros =
        ChronoUnit.MICROS.between(
            OffsetDateTime.of(2000, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC), expected);
    assertThat(Timestamps.micros(text.getBytes(StandardCharsets.US_ASCII)))
        .as(text)
        .isEqualTo(micros);
  }

  @Property
  void epochSecondsAndMillis(@ForAll @LongRange(min = 0, max = 99_999_999_999L) long seconds) {
    assertThat(Timestamps.fromEpochSeconds(seconds))
        .isEqualTo(seconds * 1_000_000L - PG_EPOCH_MICROS);
    assertThat(Timestamps.fromEpochMillis(seconds * 1000))
        .isEqualTo(seconds * 1_000_000L - PG_EPOCH_MICROS);
  }

  @Property
  void nonTimestampsAreRejected(@ForAll("garbage") String s) {
    assertThat(Timestamps.micros(s.getBytes(StandardCharsets.UTF_8))).isEqualTo(Timestamps.INVALID);
  }

  @Provide
  Arbitrary<LocalDateTime> instants() {
    return Arbitraries.longs()
        .between(
            LocalDateTime.of(1, 1, 2, 0, 0).toEpochSecond(ZoneOffset.UTC),
            LocalDateTime.of(9999, 12, 30, 0, 0).toEpochSecond(ZoneOffset.UTC))
        .flatMap(
            s ->
                Arbitraries.integers()
                    .between(0, 999_999)
                    .map(us -> LocalDateTime.ofEpochSecond(s, us * 1000, ZoneOffset.UTC)));
  }

  @Provide
  Arbitrary<ZoneOffset> offsets() {
    return Arbitraries.integers()
        .between(-14 * 60, 14 * 60)
        .map(m -> ZoneOffset.ofTotalSeconds(m * 60));
  }

  @Provide
  Arbitrary<Integer> styles() {
    return Arbitraries.integers().between(0, 3);
  }

  @Provide
  Arbitrary<String> garbage() {
    return Arbitraries.oneOf(
        Arbitraries.of(
            "2024-13-01",
            "2024-02-30",
            "2023-02-29 10:00:00",
            "2024-01-01 24:00:00",
            "2024-01-01 10:60",
            "2024-01-01T10:00:00.1234567",
            "0000-01-01",
            "2024-01-01 10:00:00+",
            "2024-01-01 10:00:00 UTC",
            "20240101",
            "2024-1-1",
            "",
            "high",
            "2024-01-01T10:00:00ZZ"),
        Arbitraries.strings().alpha().ofMinLength(1));
  }
}
