package dev.ferry.value;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * Whether a text is JSON that PostgreSQL's jsonb holds without loss: well-formed, one value, no
 * duplicate keys (jsonb would keep only the last), no {@code \u0000} (jsonb rejects it).
 */
public final class JsonText {
  /** Not JSON jsonb can hold. */
  public static final int INVALID = 0;
  /** An object or array. */
  public static final int CONTAINER = 1;
  /** A string, number, true, false or null. */
  public static final int SCALAR = 2;

  private static final JsonFactory FACTORY =
      JsonFactory.builder()
          .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .build();

  private JsonText() {}

  /** {@link #CONTAINER}, {@link #SCALAR} or {@link #INVALID}. */
  public static int classify(byte[] b) {
    int first = firstNonSpace(b);
    if (first < 0) {
      return INVALID;
    }
    byte c = b[first];
    boolean container = c == '{' || c == '[';
    if (!container && c != '"' && c != '-' && c != 't' && c != 'f' && c != 'n' && (c < '0' || c > '9')) {
      return INVALID; // cheap rejection of ordinary text
    }
    boolean mayHaveNul = contains(b, NUL_ESCAPE);
    try (JsonParser p = FACTORY.createParser(b)) {
      JsonToken t = p.nextToken();
      int depth = 0;
      do {
        if (t == null) {
          return INVALID;
        }
        if (t.isStructStart()) {
          depth++;
        } else if (t.isStructEnd()) {
          depth--;
        } else if (mayHaveNul
            && (t == JsonToken.VALUE_STRING || t == JsonToken.FIELD_NAME)
            && p.getText().indexOf('\0') >= 0) {
          return INVALID;
        }
        if (depth > 0) {
          t = p.nextToken();
        }
      } while (depth > 0);
      if (mayHaveNul && !container && p.getText().indexOf('\0') >= 0) {
        return INVALID;
      }
      return p.nextToken() == null ? (container ? CONTAINER : SCALAR) : INVALID;
    } catch (IOException | RuntimeException e) {
      return INVALID;
    }
  }

  private static final byte[] NUL_ESCAPE = "u0000".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  private static int firstNonSpace(byte[] b) {
    for (int i = 0; i < b.length; i++) {
      if (b[i] != ' ' && b[i] != '\t' && b[i] != '\n' && b[i] != '\r') {
        return i;
      }
    }
    return -1;
  }

  private static boolean contains(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j] && !(j > 0 && (haystack[i + j] | 0x20) == needle[j])) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }
}
