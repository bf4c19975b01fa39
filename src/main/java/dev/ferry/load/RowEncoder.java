package dev.ferry.load;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.plan.ColumnPlan;
import dev.ferry.plan.PgType;
import dev.ferry.plan.TablePlan;
import dev.ferry.source.RowCursor;
import dev.ferry.source.SourceColumn;
import dev.ferry.value.BadValuePolicy;
import dev.ferry.value.Repairs;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Encodes a source row as the fields of a binary COPY tuple, applying the bad-value policy. The
 * encoded fields are what {@link RowHasher} hashes (as the server hashes the stored row) and what
 * key hashes for the row-by-row comparison are made of. Repaired values are encoded, and so hashed,
 * as loaded: checksums agree, and the originals are accounted for in ferry.fixups.
 */
public final class RowEncoder {
  /**
   * A value loaded in repaired form: the original bytes are kept verbatim. The arrays are handed
   * over, never compared or hashed as a record.
   */
  @SuppressWarnings("ArrayRecordComponent")
  record Fixup(int column, byte[] original, byte[] loaded, String reason) {}

  private final TablePlan table;
  private final List<ColumnPlan> columns;
  private final BadValuePolicy policy;
  private final ValueEncoder[] encoders;
  private final boolean[] jsonb;
  private final FieldBuffer row = new FieldBuffer();
  private final int[] fieldStart;
  private final int[] keyPositions;
  private final MessageDigest md5;
  private final List<Fixup> fixups = new ArrayList<>();
  private int failed = -1;
  private String rejected;
  private RowHasher ownHasher;
  private final boolean strict;

  public RowEncoder(TablePlan table, BadValuePolicy policy) {
    this(table, policy, false);
  }

  /**
   * With {@code strict}, a value that does not fit a column planned to need no repair is not
   * handled by the policy but thrown ({@link ValueEncoder.BadValue}): under types chosen from a
   * sample, such a value means the plan is wrong, not the value. A strict encoder also relies on
   * the one-pass profile having checked each row before it is encoded (see {@link
   * ValueEncoder#forColumn(ColumnPlan, boolean)}).
   */
  RowEncoder(TablePlan table, BadValuePolicy policy, boolean strict) {
    this.strict = strict;
    this.table = table;
    this.policy = policy;
    this.columns = table.loadedColumns();
    this.encoders =
        columns.stream().map(c -> ValueEncoder.forColumn(c, strict)).toArray(ValueEncoder[]::new);
    this.jsonb = new boolean[columns.size()];
    for (int i = 0; i < jsonb.length; i++) {
      jsonb[i] = columns.get(i).type().kind() == PgType.Kind.JSONB;
    }
    this.fieldStart = new int[columns.size() + 1];
    List<SourceColumn> key = table.source().primaryKey();
    this.keyPositions = key.stream().mapToInt(k -> indexOf(columns, k)).toArray();
    try {
      this.md5 = MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("MD5 is part of every Java runtime", e);
    }
  }

  private static int indexOf(List<ColumnPlan> columns, SourceColumn c) {
    for (int i = 0; i < columns.size(); i++) {
      if (columns.get(i).source().name().equals(c.name())) {
        return i;
      }
    }
    return -1;
  }

  public List<ColumnPlan> columns() {
    return columns;
  }

  /** Positions of the primary key among the loaded columns (empty when there is none). */
  public int[] keyPositions() {
    return keyPositions.length > 0 && java.util.Arrays.stream(keyPositions).allMatch(p -> p >= 0)
        ? keyPositions.clone()
        : new int[0];
  }

  /**
   * Encodes the cursor's current row. Returns false when the row is set aside (then {@link
   * #rejectReason} says why); repaired values are listed by {@link #fixups}. Under FAIL, a value
   * that cannot be loaded as stored stops the run with a message naming table, key, column and
   * value.
   */
  public boolean encode(RowCursor cursor) {
    row.reset();
    fixups.clear();
    rejected = null;
    for (int i = 0; i < encoders.length; i++) {
      fieldStart[i] = row.size();
      failed = i;
      try {
        encoders[i].write(cursor, i, row);
      } catch (ValueEncoder.BadValue e) {
        if (strict && columns.get(i).choice().repairs() == 0) {
          throw e;
        }
        row.truncate(fieldStart[i]);
        if (!handle(cursor, i, e)) {
          if (strict) {
            checkRest(cursor, i + 1); // the one-pass profile left these checks to this encoder
          }
          return false;
        }
      }
    }
    failed = -1;
    fieldStart[encoders.length] = row.size();
    return true;
  }

  /**
   * In a one-pass load, a row set aside by an earlier column still has its later columns checked
   * (and the encoding thrown away): the profile skipped checks the encoder makes (timestamps, text
   * UTF-8), so a value that does not fit its sampled type must stop the load here too, or the table
   * would keep a type the full profile would not choose.
   */
  private void checkRest(RowCursor cursor, int from) {
    int mark = row.size();
    int setAside = failed;
    for (int j = from; j < encoders.length; j++) {
      if (columns.get(j).choice().repairs() != 0) {
        continue;
      }
      failed = j;
      try {
        encoders[j].write(cursor, j, row);
      } finally {
        row.truncate(mark);
      }
    }
    failed = setAside; // the column the row was set aside for, as messages name it
  }

  private boolean handle(RowCursor cursor, int i, ValueEncoder.BadValue e) {
    String column = columns.get(i).source().name();
    switch (policy) {
      case FAIL ->
          throw new FerryException(
              ErrorCode.LOAD_FAILED,
              "table "
                  + table.source().name()
                  + ", "
                  + e.getMessage().replaceFirst(": value", ", column " + column + ": value")
                  + " (--on-bad-value fix or set-aside loads the rest and keeps this value verbatim)");
      case SET_ASIDE -> {
        rejected = "column " + column + ": " + e.reason();
        return false;
      }
      default -> {
        int storage = cursor.type(i);
        byte[] original =
            storage == RowCursor.TEXT || storage == RowCursor.BLOB ? cursor.bytes(i) : null;
        byte[] repaired = repair(columns.get(i), original);
        if (repaired == null) {
          rejected = "column " + column + ": " + e.reason() + " (cannot be repaired)";
          return false;
        }
        if (jsonb[i]) {
          row.int32(repaired.length + 1);
          row.int8(1);
          row.write(repaired, 0, repaired.length);
        } else {
          row.field(repaired);
        }
        fixups.add(new Fixup(i, original, repaired, e.reason()));
        return true;
      }
    }
  }

  private static byte[] repair(ColumnPlan column, byte[] original) {
    if (original == null) {
      return null;
    }
    return switch (column.type().kind()) {
      case TEXT -> Repairs.text(original);
      case VARCHAR -> {
        byte[] text = Repairs.text(original);
        yield dev.ferry.value.Utf8.pgTextLength(text) <= column.type().length() ? text : null;
      }
      case JSONB -> Repairs.json(original);
      default -> null;
    };
  }

  /** The values of the last row that were loaded repaired. */
  List<Fixup> fixups() {
    return fixups;
  }

  /** Why the last row was set aside, or null. */
  String rejectReason() {
    return rejected;
  }

  /** Writes the encoded row as one COPY tuple (without the fields {@link #leaveOut} names). */
  void writeTo(CopyStream out) throws SQLException {
    if (leftOut == null) {
      out.tuple(encoders.length, row);
      return;
    }
    out.tupleStart(sentFields);
    for (int i = 0; i < encoders.length; i++) {
      int len = fieldStart[i + 1] - fieldStart[i];
      if (leftOut[i]) {
        out.computed(len);
      } else {
        out.field(row.bytes(), fieldStart[i], len);
      }
    }
  }

  private boolean[] leftOut;
  private int sentFields;

  /**
   * From now on, {@link #writeTo} leaves out the columns marked (the server computes them, see
   * {@link FieldsFromDoc}); they are still encoded, and hashed, as read. Null: none.
   */
  void leaveOut(boolean[] columns) {
    leftOut = columns;
    sentFields = encoders.length;
    if (columns != null) {
      for (boolean b : columns) {
        sentFields -= b ? 1 : 0;
      }
    }
  }

  /** The loaded column whose value failed in the last {@link #encode}, for messages. */
  int failedColumn() {
    return failed;
  }

  /** A hasher for this table's rows (one per thread). */
  RowHasher hasher() {
    RowHasher h =
        new RowHasher(columns.stream().map(c -> c.type().kind()).toArray(PgType.Kind[]::new));
    // columns taken from the doc hash from the doc's own pass when their bytes are the field's
    int doc = -1;
    Map<Integer, String> fields = new HashMap<>();
    for (int i = 0; i < columns.size(); i++) {
      ColumnPlan c = columns.get(i);
      if (c.fromDoc() != null && c.source() != null && c.source().docField() != null) {
        fields.put(i, c.source().docField());
      } else if (c.fromDoc() == null
          && c.source() != null
          && SourceColumn.DOC.equals(c.source().name())) {
        doc = i;
      }
    }
    return h.takingFromDoc(doc, fields);
  }

  /** The encoded row, for hashing elsewhere. */
  FieldBuffer row() {
    return row;
  }

  /**
   * The MD5 of the canonical encoding of the fields at {@code positions} (the key columns) of the
   * last encoded row, as hex: the server computes the same over the same columns.
   */
  public String keyHash(int[] positions) {
    for (int p : positions) {
      md5.update(row.bytes(), fieldStart[p], fieldStart[p + 1] - fieldStart[p]);
    }
    return HexFormat.of().formatHex(md5.digest());
  }

  /** Hash of the last encoded row (for `ferry verify`, which loads nothing). */
  public long hash() {
    if (ownHasher == null) {
      ownHasher = hasher();
    }
    return ownHasher.hash(row.bytes(), 0, row.size());
  }
}
