package dev.ferry.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.value.Utf8;
import java.nio.charset.StandardCharsets;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The profile counts the characters of a text staging wrote as plain JSON without validating it
 * ({@code ColumnProfile.plainChars}); for any such text (valid UTF-8 without NUL, any mix of one-
 * to four-byte characters, any length around the eight-byte steps) the count is the one {@link
 * Utf8#pgTextLength} gives, the oracle.
 */
class PlainCharsTest {
  @Property(tries = 500)
  void countsTheCharactersPgTextLengthCounts(@ForAll("texts") String text) {
    byte[] b = text.getBytes(StandardCharsets.UTF_8);
    assertThat(ColumnProfile.plainChars(b)).as(text).isEqualTo(Utf8.pgTextLength(b));
  }

  @Provide
  Arbitrary<String> texts() {
    Arbitrary<String> piece =
        Arbitraries.oneOf(
            Arbitraries.strings().withCharRange('\u0001', '\u007f').ofMaxLength(9),
            Arbitraries.strings().withCharRange('\u0080', '\u07ff').ofMaxLength(5),
            Arbitraries.strings().withCharRange('\u0800', '\ud7ff').ofMaxLength(5),
            Arbitraries.of("😀", "🚀 naïve 数据", "{\"k\": \"€\"}", "\u2028"));
    return piece.list().ofMaxSize(8).map(l -> String.join("", l));
  }
}
