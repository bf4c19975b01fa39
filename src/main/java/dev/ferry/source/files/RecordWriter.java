package dev.ferry.source.files;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.Arrays;

/**
 * Writes one JSON record into a staged row: each top-level field into its column with the storage
 * class of its JSON value, objects and arrays as their JSON text, and the whole record as doc.
 * Numbers are copied as their literal, never through a double: integers beyond 64 bits and decimals
 * a double cannot hold exactly stay text (the planner makes them numeric).
 *
 * <p>The JSON is generated as UTF-8 bytes, and the doc (the biggest value of a record) is handed to
 * the staging table as those bytes: it never becomes a Java string (a UTF-16 copy for any record
 * with a character beyond Latin-1, then encoded back to UTF-8 by the SQLite driver). Measured with
 * JFR on seed 000's tweets, building, compressing and re-encoding those strings was about half of
 * the staging thread's time.
 */
final class RecordWriter {
  /** Makes (once) the child table of an unnested field. */
  interface Children {
    StagingTable child(StagingTable parent, String field) throws SQLException;

    boolean unnests(StagingTable parent, String field);
  }

  private final JsonFactory factory;
  private final Utf8Buffer text = new Utf8Buffer();
  private JsonGenerator gen;
  private final Children children;
  private final PlainJson plain = new PlainJson();

  /** The child rows the last record made, per child table (absent: none). */
  final java.util.Map<StagingTable, Long> childRows = new java.util.HashMap<>();

  RecordWriter(JsonFactory factory, Children children) throws IOException {
    this.factory = factory;
    this.children = children;
    this.gen = factory.createGenerator(text, JsonEncoding.UTF8);
    this.gen.setRootValueSeparator(null);
  }

  /**
   * Fills the fields and doc of the current row of {@code t} from the value at {@code p}'s current
   * token, leaving {@code p} on the value's last token. The caller has started the row and set its
   * key columns, and ends it.
   *
   * @param key the row's key, for child rows of unnested fields
   */
  void record(JsonParser p, StagingTable t, Object key) throws IOException, SQLException {
    text.setLength(0);
    childRows.clear();
    plain.reset();
    if (p.currentToken() != JsonToken.START_OBJECT) {
      copy(p); // not an object: it lives in doc alone
      finishDoc(t);
      return;
    }
    gen.writeStartObject();
    plain.open();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      plain.name(field, checkText(p, field));
      gen.writeFieldName(field);
      JsonToken v = p.nextToken();
      if (v == JsonToken.START_ARRAY && children.unnests(t, field)) {
        t.unnested(field);
        gen.flush();
        int from = text.length();
        copy(p);
        gen.flush();
        String array = slice(from);
        if (!unnest(t, field, key, array)) {
          container(t, t.field(field), array);
        }
        continue;
      }
      int i = t.field(field);
      if (v == JsonToken.START_OBJECT || v == JsonToken.START_ARRAY) {
        gen.flush();
        int from = text.length();
        copy(p);
        gen.flush();
        container(t, i, sliceBytes(from));
      } else {
        scalar(p, v, t, i);
      }
    }
    gen.writeEndObject();
    plain.end();
    finishDoc(t);
  }

  /**
   * Fills column {@code i} of the current row of {@code t} with the value at {@code p}'s current
   * token (an entry of a keyed map of plain values), with the storage class of its JSON kind, and
   * doc with its JSON text. An object or array among plain values is its JSON text.
   */
  void plain(JsonParser p, StagingTable t, int i) throws IOException {
    text.setLength(0);
    childRows.clear();
    plain.reset();
    JsonToken v = p.currentToken();
    if (v == JsonToken.START_OBJECT || v == JsonToken.START_ARRAY) {
      copy(p);
      gen.flush();
      container(t, i, text.bytes());
    } else {
      scalar(p, v, t, i);
    }
    finishDoc(t);
  }

  /** The value written since {@code from}: the generator puts the ':' before a field's value. */
  private String slice(int from) {
    return text.string(text.byteAt(from) == ':' ? from + 1 : from);
  }

  /** The value written since {@code from}, as UTF-8 bytes (see {@link #slice}). */
  private byte[] sliceBytes(int from) {
    return text.bytes(text.byteAt(from) == ':' ? from + 1 : from);
  }

  /** An object or array value: its JSON text in column {@code i} (none when -1). */
  private static void container(StagingTable t, int i, String json) {
    if (i >= 0) {
      t.setText(i, json);
      t.columns.get(i).containers++;
    }
  }

  /**
   * An object or array value as the generator's UTF-8 bytes, bound as such (no Java string: for
   * text beyond Latin-1 that would be a UTF-16 copy, encoded back to UTF-8 by the SQLite driver).
   */
  private static void container(StagingTable t, int i, byte[] json) {
    if (i >= 0) {
      t.setUtf8(i, json);
      t.columns.get(i).containers++;
    }
  }

  private void finishDoc(StagingTable t) throws IOException {
    gen.flush();
    if (!plain.plain()) {
      t.notPlainJson(); // its JSON columns are checked value by value again (see PlainJson)
    }
    if (t.docColumn() >= 0) {
      t.setUtf8(t.docColumn(), text.bytes());
    }
  }

  /** Rows of the child table from an array of objects; false when it is not one. */
  private boolean unnest(StagingTable parent, String field, Object key, String array)
      throws IOException, SQLException {
    try (JsonParser q = factory.createParser(array)) {
      q.nextToken();
      JsonToken first = q.nextToken();
      if (first == JsonToken.END_ARRAY) {
        return true; // no child rows; doc keeps the empty array
      }
      if (first != JsonToken.START_OBJECT) {
        return false;
      }
      StagingTable child = children.child(parent, field);
      RecordWriter inner = new RecordWriter(factory, NO_CHILDREN);
      long index = 0;
      for (JsonToken tok = first; tok != JsonToken.END_ARRAY; tok = q.nextToken()) {
        child.startRow();
        if (key instanceof Long l) {
          child.setLong(0, l);
        } else {
          child.setText(0, (String) key);
        }
        child.setLong(1, index++);
        inner.record(q, child, null);
        // (parent key, idx) repeats only when the parent's key does: the later copy of the
        // parent wins (or the run fails), and so do its children
        child.endRow(StagingTable.replacing((c, row, e) -> {}));
      }
      childRows.put(child, index);
      return true;
    }
  }

  private static final Children NO_CHILDREN =
      new Children() {
        @Override
        public StagingTable child(StagingTable parent, String field) {
          throw new IllegalStateException("no children");
        }

        @Override
        public boolean unnests(StagingTable parent, String field) {
          return false;
        }
      };

  private void scalar(JsonParser p, JsonToken v, StagingTable t, int i) throws IOException {
    StagedColumn c = i >= 0 ? t.columns.get(i) : null;
    switch (v) {
      case VALUE_STRING -> {
        String s = p.getText();
        plain.string(s.length(), checkText(p, s));
        gen.writeString(s);
        if (c != null) {
          t.setText(i, s);
          c.strings++;
        }
      }
      case VALUE_NUMBER_INT -> {
        if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
          String literal = p.getText();
          plain.number(literal);
          gen.writeNumber(literal);
          if (c != null) {
            t.setText(i, literal);
            c.exactNumbers++;
          }
        } else {
          long n = p.getLongValue();
          gen.writeNumber(n);
          if (c != null) {
            t.setLong(i, n);
            c.integers++;
          }
        }
      }
      case VALUE_NUMBER_FLOAT -> {
        String literal = p.getText();
        plain.number(literal);
        gen.writeNumber(literal);
        if (c != null) {
          double d = Double.parseDouble(literal);
          if (exactDouble(literal, d)) {
            t.setDouble(i, d);
            c.reals++;
          } else {
            t.setText(i, literal);
            c.exactNumbers++;
          }
        }
      }
      case VALUE_TRUE, VALUE_FALSE -> {
        boolean b = v == JsonToken.VALUE_TRUE;
        gen.writeBoolean(b);
        if (c != null) {
          t.setText(i, b ? "true" : "false");
          c.booleans++;
        }
      }
      default -> {
        gen.writeNull();
        if (c != null) {
          c.nulls++;
        }
      }
    }
  }

  /**
   * Refuses a string holding half of a UTF-16 surrogate pair (written {@code "\ud800"} in JSON): no
   * UTF-8 text holds it, so writing it on would silently change it, and jsonb refuses it too.
   * Returns true when the string holds U+0000 (which jsonb refuses too, see {@link PlainJson}).
   */
  static boolean checkText(JsonParser p, String s) throws IOException {
    boolean nul = false;
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      if (Character.isSurrogate(ch)) {
        return checkText(p, s.toCharArray(), 0, s.length());
      }
      nul |= ch == 0;
    }
    return nul;
  }

  private static boolean checkText(JsonParser p, char[] c, int off, int len) throws IOException {
    boolean nul = false;
    int end = off + len;
    for (int i = off; i < end; i++) {
      char ch = c[i];
      if (ch < Character.MIN_SURROGATE) {
        nul |= ch == 0;
        continue;
      }
      if (ch > Character.MAX_SURROGATE) {
        continue;
      }
      if (Character.isHighSurrogate(ch) && i + 1 < end && Character.isLowSurrogate(c[i + 1])) {
        i++;
        continue;
      }
      throw new com.fasterxml.jackson.core.JsonParseException(
          p,
          String.format(
              "a string holds a lone UTF-16 surrogate \\u%04x, which no UTF-8 text (and no jsonb)"
                  + " can hold",
              (int) ch));
    }
    return nul;
  }

  /** True when the double is the literal's value, so a double precision column holds it. */
  static boolean exactDouble(String literal, double d) {
    if (!Double.isFinite(d)) {
      return false;
    }
    if (literal.length() <= 16 && literal.indexOf('e') < 0 && literal.indexOf('E') < 0) {
      return true; // at most 15 significant digits: a double round-trips them
    }
    return new BigDecimal(literal).compareTo(new BigDecimal(Double.toString(d))) == 0;
  }

  /** Copies the value at the parser's current token, numbers as their literal. */
  void copy(JsonParser p) throws IOException {
    int depth = 0;
    do {
      JsonToken t = p.currentToken();
      switch (t) {
        case START_OBJECT -> {
          gen.writeStartObject();
          plain.open();
          depth++;
        }
        case END_OBJECT -> {
          gen.writeEndObject();
          plain.end();
          depth--;
        }
        case START_ARRAY -> {
          gen.writeStartArray();
          plain.open();
          depth++;
        }
        case END_ARRAY -> {
          gen.writeEndArray();
          plain.end();
          depth--;
        }
        case FIELD_NAME -> {
          String name = p.currentName();
          plain.name(name, checkText(p, name));
          gen.writeFieldName(name);
        }
        case VALUE_STRING -> {
          char[] chars = p.getTextCharacters();
          int off = p.getTextOffset();
          int len = p.getTextLength();
          plain.string(len, checkText(p, chars, off, len));
          gen.writeString(chars, off, len);
        }
        case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
          String literal = p.getText();
          plain.number(literal);
          gen.writeNumber(literal);
        }
        case VALUE_TRUE -> gen.writeBoolean(true);
        case VALUE_FALSE -> gen.writeBoolean(false);
        default -> gen.writeNull();
      }
    } while (depth > 0 && p.nextToken() != null);
  }

  /** Starts afresh after a record that failed half-way (the generator is mid-object). */
  void reset() throws IOException {
    text.setLength(0);
    plain.reset();
    gen = factory.createGenerator(text, JsonEncoding.UTF8);
    gen.setRootValueSeparator(null);
  }

  /** The JSON text of the last record written. */
  String lastJson() {
    return text.string(0);
  }

  /** The whole value at the parser's current token as JSON text. */
  String json(JsonParser p) throws IOException {
    text.setLength(0);
    plain.reset();
    copy(p);
    gen.flush();
    return text.string(0);
  }

  /** A growable byte buffer the generator writes into, unsynchronized; reused for every record. */
  private static final class Utf8Buffer extends OutputStream {
    private byte[] buf = new byte[1 << 13];
    private int len;

    int length() {
      return len;
    }

    void setLength(int n) {
      len = n;
    }

    byte byteAt(int i) {
      return buf[i];
    }

    /** The bytes written since {@code from}, as text. */
    String string(int from) {
      return new String(buf, from, len - from, StandardCharsets.UTF_8);
    }

    /** A copy of everything written. */
    byte[] bytes() {
      return Arrays.copyOf(buf, len);
    }

    /** A copy of the bytes written since {@code from}. */
    byte[] bytes(int from) {
      return Arrays.copyOfRange(buf, from, len);
    }

    @Override
    public void write(int b) {
      if (len == buf.length) {
        buf = Arrays.copyOf(buf, buf.length * 2);
      }
      buf[len++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int n) {
      if (len + n > buf.length) {
        buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
      }
      System.arraycopy(b, off, buf, len, n);
      len += n;
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  }
}
