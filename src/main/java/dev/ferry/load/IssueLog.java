package dev.ferry.load;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.plan.ColumnPlan;
import dev.ferry.plan.TablePlan;
import dev.ferry.source.RowCursor;
import dev.ferry.sql.SqlText;
import dev.ferry.value.Utf8;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.postgresql.PGConnection;

/**
 * The repaired values and set-aside rows of one table load, spooled to temporary files (memory
 * stays bounded however many there are) and copied into ferry.fixups and ferry.rejects in the same
 * transaction as the table's data: the data and the record of what was done to it commit together
 * or not at all. Originals are kept verbatim: text when it is valid UTF-8 without NUL, else
 * {"base64": "…"}.
 */
final class IssueLog implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final UUID run;
  private final TablePlan table;
  private final RowEncoder encoder;
  private Path fixupFile;
  private Path rejectFile;
  private BufferedWriter fixups;
  private BufferedWriter rejects;
  private long fixed;
  private long setAside;

  IssueLog(UUID run, TablePlan table, RowEncoder encoder) {
    this.run = run;
    this.table = table;
    this.encoder = encoder;
  }

  long fixed() {
    return fixed;
  }

  long setAside() {
    return setAside;
  }

  /** Records the last encoded row's repairs, if any. */
  void fixups(RowCursor row) {
    for (RowEncoder.Fixup f : encoder.fixups()) {
      fixed++;
      ColumnPlan c = encoder.columns().get(f.column());
      line(
          fixupWriter(),
          run.toString(),
          table.source().name(),
          table.schema() + "." + table.name(),
          key(row),
          c.source().name(),
          Base64.getEncoder().encodeToString(f.original()),
          Utf8.pgTextLength(f.original()) >= 0
              ? new String(f.original(), StandardCharsets.UTF_8)
              : null,
          new String(f.loaded(), StandardCharsets.UTF_8),
          f.reason());
    }
  }

  /** Records the current row as set aside, with every value verbatim. */
  void reject(RowCursor row, String reason) {
    setAside++;
    ObjectNode original = JsonNodeFactory.instance.objectNode();
    List<ColumnPlan> columns = encoder.columns();
    for (int i = 0; i < columns.size(); i++) {
      original.set(columns.get(i).source().name(), value(row, i));
    }
    line(rejectWriter(), run.toString(), table.source().name(), key(row), json(original), reason);
  }

  private String key(RowCursor row) {
    ObjectNode key = JsonNodeFactory.instance.objectNode();
    int[] positions = encoder.keyPositions();
    if (positions.length > 0) {
      for (int p : positions) {
        key.set(encoder.columns().get(p).source().name(), value(row, p));
      }
    } else if (row.rowid() != Long.MIN_VALUE) {
      key.put("rowid", row.rowid());
    } else {
      key.put("row", row.rowKey());
    }
    return json(key);
  }

  private static com.fasterxml.jackson.databind.JsonNode value(RowCursor row, int i) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    return switch (row.type(i)) {
      case RowCursor.NULL -> f.nullNode();
      case RowCursor.INTEGER -> f.numberNode(row.longValue(i));
      case RowCursor.REAL ->
          Double.isFinite(row.doubleValue(i))
              ? f.numberNode(row.doubleValue(i))
              : f.textNode(Double.toString(row.doubleValue(i)));
      case RowCursor.TEXT ->
          Utf8.pgTextLength(row.bytes(i)) >= 0
              ? f.textNode(new String(row.bytes(i), StandardCharsets.UTF_8))
              : f.objectNode().put("base64", Base64.getEncoder().encodeToString(row.bytes(i)));
      default -> f.objectNode().put("base64", Base64.getEncoder().encodeToString(row.bytes(i)));
    };
  }

  private static String json(Object o) {
    try {
      return JSON.writeValueAsString(o);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private BufferedWriter fixupWriter() {
    if (fixups == null) {
      fixupFile = temp("fixups");
      fixups = writer(fixupFile);
    }
    return fixups;
  }

  private BufferedWriter rejectWriter() {
    if (rejects == null) {
      rejectFile = temp("rejects");
      rejects = writer(rejectFile);
    }
    return rejects;
  }

  private static Path temp(String what) {
    try {
      Path p = Files.createTempFile("ferry-" + what + "-", ".copy");
      p.toFile().deleteOnExit();
      return p;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static BufferedWriter writer(Path p) {
    try {
      return Files.newBufferedWriter(p, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** One line of COPY text format. */
  private static void line(BufferedWriter w, String... fields) {
    try {
      for (int i = 0; i < fields.length; i++) {
        if (i > 0) {
          w.write('\t');
        }
        w.write(SqlText.copyText(fields[i]));
      }
      w.write('\n');
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Copies what was recorded into ferry.fixups and ferry.rejects on {@code c}'s transaction. */
  void copyInto(Connection c) throws SQLException, IOException {
    var copy = c.unwrap(PGConnection.class).getCopyAPI();
    if (fixups != null) {
      fixups.close();
      try (BufferedReader in = Files.newBufferedReader(fixupFile, StandardCharsets.UTF_8)) {
        copy.copyIn(
            "COPY ferry.fixups (run_id, source_table, target_table, row_key, column_name, original_base64,"
                + " original_text, loaded_value, reason) FROM STDIN",
            in);
      }
    }
    if (rejects != null) {
      rejects.close();
      try (BufferedReader in = Files.newBufferedReader(rejectFile, StandardCharsets.UTF_8)) {
        copy.copyIn(
            "COPY ferry.rejects (run_id, source_table, row_key, original_row, reason) FROM STDIN",
            in);
      }
    }
  }

  @Override
  public void close() {
    try {
      if (fixups != null) {
        fixups.close();
        Files.deleteIfExists(fixupFile);
      }
      if (rejects != null) {
        rejects.close();
        Files.deleteIfExists(rejectFile);
      }
    } catch (IOException e) {
      // temporary files; the OS cleans them up too
    }
  }
}
