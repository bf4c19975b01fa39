package dev.ferry.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.plan.PgType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * A column taken from the doc is hashed from the doc's own canonicalization only when its bytes are
 * the field's bytes in the doc; whatever the row holds, the row's hash, the JSON check and the
 * refusals are those of hashing every column on its own (the oracle: the same hasher without the
 * doc's fields). A refused row fails the load whatever the JSON check found, so there only the
 * refusal has to agree (the doc is hashed before its fields, so the check may have seen less).
 */
class FieldsHashedFromDocTest {
  private static final PgType.Kind[] KINDS = {
    PgType.Kind.TEXT, PgType.Kind.JSONB, PgType.Kind.JSONB, PgType.Kind.JSONB
  };

  /** Columns 1 and 2 hold the doc's fields "a" and "é b"; column 3 is the doc. */
  private static RowHasher takingFromDoc(boolean checked) {
    return new RowHasher(KINDS)
        .checkingJson(new boolean[] {false, checked, checked, checked})
        .takingFromDoc(3, Map.of(1, "a", 2, "é b"));
  }

  private static RowHasher alone(boolean checked) {
    return new RowHasher(KINDS).checkingJson(new boolean[] {false, checked, checked, checked});
  }

  @Property(tries = 300)
  void aRowHashesAsItsColumnsHashedAlone(@ForAll long seed) {
    Random r = new Random(seed);
    long taken = 0;
    for (int row = 0; row < 20; row++) {
      Map<String, String> fields = new java.util.LinkedHashMap<>();
      String doc = doc(r, fields);
      String a = column(r, fields.get("a"));
      String b = column(r, fields.get("é b"));
      FieldBuffer encoded = new FieldBuffer();
      encoded.field("key".getBytes(StandardCharsets.UTF_8));
      jsonb(encoded, a);
      jsonb(encoded, b);
      jsonb(encoded, r.nextInt(20) == 0 ? null : doc);
      boolean checked = r.nextBoolean();
      RowHasher derived = takingFromDoc(checked);
      RowHasher oracle = alone(checked);
      Object expected = outcome(oracle, encoded);
      assertThat(outcome(derived, encoded)).as("doc %s, a %s, b %s", doc, a, b).isEqualTo(expected);
      taken += derived.takenFromDoc;
      if (!"refused".equals(expected)) { // (a refused row fails the load, checked or not)
        assertThat(derived.jsonHeld()).as("doc %s", doc).isEqualTo(oracle.jsonHeld());
      }
    }
    TAKEN.addAndGet(taken);
  }

  private static final java.util.concurrent.atomic.AtomicLong TAKEN =
      new java.util.concurrent.atomic.AtomicLong();

  @net.jqwik.api.lifecycle.AfterContainer
  static void theDocsPassWasTakenOften() {
    // 300 tries of 20 rows: about 1,500 fields hashed from the doc (the property is not vacuous)
    assertThat(TAKEN.get()).isGreaterThan(1000);
  }

  private static Object outcome(RowHasher h, FieldBuffer row) {
    try {
      return h.hash(row.bytes(), 0, row.size());
    } catch (IllegalArgumentException e) {
      return "refused";
    }
  }

  private static void jsonb(FieldBuffer row, String json) {
    if (json == null) {
      row.nullField();
      return;
    }
    byte[] text = json.getBytes(StandardCharsets.UTF_8);
    byte[] field = new byte[text.length + 1];
    field[0] = 1;
    System.arraycopy(text, 0, field, 1, text.length);
    row.field(field);
  }

  /** The column: mostly the field's text exactly; else the field with other bytes, or another. */
  private static String column(Random r, String field) {
    int pick = r.nextInt(10);
    if (field == null || pick == 0) {
      return r.nextBoolean() ? null : value(r, 2);
    }
    return switch (pick) {
      case 1 -> " " + field; // the same JSON, other bytes
      case 2 -> field.length() > 1 ? field.substring(0, field.length() - 1) + " " : field;
      case 3 -> value(r, 2);
      default -> field;
    };
  }

  /** A document, mostly an object with the fields in any order, repeated or missing. */
  private static String doc(Random r, Map<String, String> fields) {
    if (r.nextInt(15) == 0) {
      return value(r, 3); // not always an object
    }
    List<String> keys = new ArrayList<>(List.of("a", "é b", "zz", "tweet_id", "b", "\\u00e9 b"));
    java.util.Collections.shuffle(keys, r);
    StringBuilder o = new StringBuilder("{");
    int n = r.nextInt(keys.size() + 1);
    for (int i = 0; i < n; i++) {
      String key = keys.get(i);
      String value = value(r, 3);
      if (r.nextInt(12) == 0) { // a repeated key: jsonb keeps the last copy
        o.append(i > 0 ? "," : "").append('"').append(key).append("\":").append(value(r, 2));
        o.append(',');
      } else if (i > 0) {
        o.append(r.nextBoolean() ? "," : ", ");
      }
      o.append('"').append(key).append('"').append(r.nextBoolean() ? ":" : " : ").append(value);
      fields.put(key.equals("\\u00e9 b") ? "é b" : key, value);
    }
    return o.append(r.nextInt(30) == 0 ? "" : "}").toString(); // sometimes cut short
  }

  private static String value(Random r, int depth) {
    int pick = r.nextInt(depth <= 0 ? 6 : 9);
    return switch (pick) {
      case 0 -> "null";
      case 1 -> r.nextBoolean() ? "true" : "false";
      case 2 -> r.nextBoolean() ? Long.toString(r.nextLong() >> r.nextInt(64)) : "1.50e3";
      case 3 -> r.nextBoolean() ? "\"caf\\u00e9\\n\\\"x\\\"\"" : "\"😀 é\"";
      case 4 -> r.nextInt(4) > 0 ? "\"x\"" : r.nextBoolean() ? "\"\\u0000\"" : "\"\\ud800\"";
      case 5 -> r.nextInt(4) > 0 ? "\"plain\"" : "[1, 2";
      case 6, 7 -> {
        StringBuilder o = new StringBuilder("{");
        int n = r.nextInt(4);
        for (int i = 0; i < n; i++) {
          o.append(i > 0 ? "," : "")
              .append("\"k")
              .append(r.nextInt(12))
              .append("\":")
              .append(value(r, depth - 1));
        }
        yield o.append('}').toString();
      }
      default -> {
        StringBuilder a = new StringBuilder("[");
        int n = r.nextInt(4);
        for (int i = 0; i < n; i++) {
          a.append(i > 0 ? "," : "").append(value(r, depth - 1));
        }
        yield a.append(']').toString();
      }
    };
  }
}
