package dev.ferry.source.files;

import dev.ferry.value.Utf8;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * What a text file's bytes say: UTF-8 (as they are), UTF-16 with a byte order mark (decoded
 * exactly: the mark names the encoding), or a refusal with the reason. An 8-bit encoding such as
 * Latin-1 cannot be known from the bytes (every byte is some character in many of them), so Ferry
 * refuses it rather than guess.
 */
final class TextDecoding {
  private TextDecoding() {}

  /** The text, or why there is none; {@code note} says when the bytes were not UTF-8. */
  record Decoded(String text, String note, String refused) {}

  static Decoded decode(byte[] bytes) {
    if (bytes.length >= 2) {
      int b0 = bytes[0] & 0xff;
      int b1 = bytes[1] & 0xff;
      if (b0 == 0xfe && b1 == 0xff) {
        return utf16(bytes, StandardCharsets.UTF_16BE, "UTF-16BE");
      }
      if (b0 == 0xff && b1 == 0xfe) {
        return utf16(bytes, StandardCharsets.UTF_16LE, "UTF-16LE");
      }
    }
    if (Utf8.pgTextLength(bytes) >= 0) {
      return new Decoded(new String(bytes, StandardCharsets.UTF_8), null, null);
    }
    if (hasNul(bytes)) {
      return new Decoded(
          null,
          null,
          "not UTF-8 text: it holds NUL bytes (UTF-16 without a byte order mark, or binary);"
              + " convert it to UTF-8 (iconv -f UTF-16LE -t UTF-8) and run again");
    }
    return new Decoded(
        null,
        null,
        "not UTF-8 text (Latin-1, Windows-1252 or another 8-bit encoding cannot be told apart"
            + " from the bytes); convert it to UTF-8 (iconv -f LATIN1 -t UTF-8) and run again");
  }

  private static Decoded utf16(byte[] bytes, Charset charset, String name) {
    try {
      String text =
          charset
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes, 2, bytes.length - 2))
              .toString();
      if (text.indexOf('\0') >= 0) {
        return new Decoded(null, null, name + " text holding a NUL character, which no text holds");
      }
      return new Decoded(
          text,
          "decoded from " + name + " (its byte order mark says so); loaded as UTF-8 text",
          null);
    } catch (CharacterCodingException e) {
      return new Decoded(
          null, null, "starts with a " + name + " byte order mark but is not valid " + name);
    }
  }

  private static boolean hasNul(byte[] bytes) {
    for (byte b : bytes) {
      if (b == 0) {
        return true;
      }
    }
    return false;
  }
}
