package dev.ferry.source.files;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.sql.SqlText;
import dev.ferry.value.BadValuePolicy;
import dev.ferry.value.Utf8;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes JSON, NDJSON and text files into one staging SQLite database, one table per store, which
 * the SQLite pipeline then migrates like any other: same inference, lossless rules, checksums and
 * resume. The database is written under a temporary name and renamed when complete, so a failed
 * staging never leaves a database that looks finished.
 *
 * <p>Why over 500 lines: this class is the staging database's one owner (its connection, writer
 * thread, table registry, child tables, rejects and notes), and each input shape (a .json file, an
 * NDJSON file, a directory of documents, a text file) is one method over that state. Errors are
 * classified in {@link StagingFailure}, column work is in {@link StagingTable} and {@link
 * RecordWriter}. The next split, when a shape grows, is one class per shape over a shared registry.
 */
final class Stager implements AutoCloseable, RecordWriter.Children {
  static final String STATE_TABLE = "file_state";

  private final Path root;
  private final FileRules rules;
  private final BadValuePolicy policy;
  private final JsonFactory factory;

  /**
   * For objects keyed by id: every top-level key is a new field name, and a million of them fill
   * Jackson's table of canonical names, whose lookups then dominate parsing; names are not kept.
   */
  private final JsonFactory keyedFactory;

  private final Connection db;
  private final SqlWriter writer;
  private final RecordWriter records;
  private final List<String> notes = new ArrayList<>();
  private final ColumnNames tableNames;
  private final List<StagingTable> tables = new ArrayList<>();
  private final Map<String, StagingTable> children = new HashMap<>();
  private StagingTable state;
  private final java.util.concurrent.atomic.AtomicLong rejects =
      new java.util.concurrent.atomic.AtomicLong();

  Stager(Path file, Path root, FileRules rules, BadValuePolicy policy, JsonFactory factory)
      throws SQLException, IOException {
    this.root = root;
    this.rules = rules;
    this.policy = policy;
    this.factory = factory;
    this.keyedFactory =
        factory.rebuild().disable(JsonFactory.Feature.CANONICALIZE_FIELD_NAMES).build();
    java.util.Properties props = new java.util.Properties();
    // sqlite-jdbc otherwise prepares and runs "SELECT last_insert_rowid()" after every INSERT: in
    // a profile of a 100 MB keyed file, 16% of the staging writer's time; nothing reads the keys
    props.setProperty("jdbc.get_generated_keys", "false");
    this.db = DriverManager.getConnection("jdbc:sqlite:" + file, props);
    try (Statement st = db.createStatement()) {
      // the largest page SQLite has (set before the first table): a staged row is about a
      // kilobyte of JSON, so 64 KiB pages mean a sixteenth of the page writes, reads and b-tree
      // page splits of the default 4 KiB, for the writer here and for the load reading it back
      st.executeUpdate("PRAGMA page_size = 65536");
      st.executeUpdate("PRAGMA journal_mode = OFF");
      st.executeUpdate("PRAGMA synchronous = OFF");
      st.executeUpdate("PRAGMA cache_size = -65536");
      st.executeUpdate("PRAGMA foreign_keys = OFF");
    }
    db.setAutoCommit(false);
    try (Statement st = db.createStatement()) {
      st.executeUpdate(
          "CREATE TABLE _ferry_columns"
              + " (tbl TEXT, col TEXT, position INTEGER, declared TEXT, plain_json INTEGER,"
              + " field TEXT)");
      st.executeUpdate(
          "CREATE TABLE _ferry_rejects (tbl TEXT, file TEXT, line INTEGER, reason TEXT, text TEXT)");
      st.executeUpdate("CREATE TABLE _ferry_inputs (path TEXT, size INTEGER, modified TEXT)");
      st.executeUpdate("CREATE TABLE _ferry_meta (k TEXT PRIMARY KEY, v TEXT)");
    }
    this.tableNames = new ColumnNames("(tables)", List.of(STATE_TABLE), notes);
    this.records = new RecordWriter(factory, this);
    this.writer = new SqlWriter(db);
  }

  List<String> notes() {
    return notes;
  }

  long rejects() {
    return rejects.get();
  }

  private String shown(Path file) {
    Path rel = root.relativize(file);
    return rel.toString().isEmpty() ? file.getFileName().toString() : rel.toString();
  }

  private static String stem(Path file) {
    String f = file.getFileName().toString();
    int dot = f.lastIndexOf('.');
    return dot > 0 ? f.substring(0, dot) : f;
  }

  private StagingTable table(String wanted, Map<String, String[]> fixed, String pk, boolean doc)
      throws SQLException {
    String name = tableNames.of(wanted);
    StagingTable t = new StagingTable(writer, name, fixed, pk, null, doc, notes);
    tables.add(t);
    return t;
  }

  private static Map<String, String[]> fixed(String... nameDdlHint) {
    Map<String, String[]> m = new LinkedHashMap<>();
    for (int i = 0; i < nameDdlHint.length; i += 3) {
      m.put(nameDdlHint[i], new String[] {nameDdlHint[i + 1], nameDdlHint[i + 2]});
    }
    return m;
  }

  private StagingTable ordinalTable(String name) throws SQLException {
    return table(name, fixed("ordinal", "INTEGER PRIMARY KEY", "INTEGER"), null, rules.doc());
  }

  /**
   * A .json file, in whichever shape it has.
   *
   * @param named the user named the file: an empty one is an error; found in a directory, it is an
   *     empty store (a table without rows and a note) and the other files load
   */
  void json(Path file, boolean named) {
    input(file);
    String name = ColumnNames.snake(stem(file));
    try {
      JsonShape.Judged judged = JsonShape.judge(factory, file);
      JsonShape shape = judged.shape();
      if (rules.keyed().containsKey(name)) {
        shape = JsonShape.KEYED;
      } else if (rules.records().contains(name) && shape == JsonShape.KEYED) {
        shape = JsonShape.RECORD;
      }
      try (JsonParser p =
          (shape == JsonShape.KEYED ? keyedFactory : factory).createParser(file.toFile())) {
        if (p.nextToken() == null && !named) {
          emptyStore(file, name);
          return;
        }
        if (p.currentToken() == null) {
          throw new FerryException(
              ErrorCode.SOURCE_UNREADABLE,
              shown(file)
                  + ": empty, not a JSON document (a file rewritten whole can be left empty by a"
                  + " crash); nothing was loaded: restore it, or move it out of the way");
        }
        switch (shape) {
          case ARRAY -> {
            if (judged.plain()) {
              plainArray(p, name);
            } else {
              array(p, ordinalTable(name));
            }
          }
          case KEYED ->
              keyed(p, file, name, rules.keyed().getOrDefault(name, "key"), judged.plain());
          case WRAPPER -> wrapper(p, file, name, judged.arrayFields());
          case RECORD -> {
            StagingTable t = ordinalTable(name);
            t.startRow();
            t.setLong(0, 1);
            records.record(p, t, 1L);
            t.endRow();
          }
        }
        trailing(p, file);
      }
    } catch (JsonProcessingException e) {
      throw syntax(file, e);
    } catch (IOException e) {
      throw unreadable(file, e);
    } catch (SQLException e) {
      throw staging(file, e);
    }
  }

  /** An empty .json file in a directory: an empty table of its name, and a note saying why. */
  private void emptyStore(Path file, String name) throws SQLException {
    StagingTable t = ordinalTable(name);
    notes.add(
        String.format(
            "%s is empty (%s): table %s has no rows; a file rewritten whole can be left empty by a"
                + " crash, so check it",
            shown(file), sizeText(file), t.name));
  }

  private static String sizeText(Path file) {
    try {
      long n = Files.size(file);
      return n == 0 ? "0 bytes" : "only whitespace, " + n + " bytes";
    } catch (IOException e) {
      return "unreadable size";
    }
  }

  private void trailing(JsonParser p, Path file) throws IOException {
    if (p.nextToken() != null) {
      JsonLocation at = p.currentTokenLocation();
      throw new FerryException(
          ErrorCode.SOURCE_UNREADABLE,
          String.format(
              "%s:%d:%d: more JSON after the end of the document (one value per .json file; use"
                  + " .ndjson for one value per line)",
              shown(file), at.getLineNr(), at.getColumnNr()));
    }
  }

  private void array(JsonParser p, StagingTable t) throws IOException, SQLException {
    long ordinal = 0;
    while (p.nextToken() != JsonToken.END_ARRAY) {
      if (p.currentToken() == null) {
        throw new com.fasterxml.jackson.core.JsonParseException(p, "unexpected end of the file");
      }
      ordinal++;
      t.startRow();
      t.setLong(0, ordinal);
      records.record(p, t, ordinal);
      t.endRow();
    }
  }

  /**
   * An array of plain values (seed 000's unprocessed_tweets.json, a list of tweet ids): rows of
   * (ordinal, value), as a keyed map of plain values is rows of (key, value); its doc is staged
   * hidden, only to rewrite values of mixed JSON kinds as JSON.
   */
  private void plainArray(JsonParser p, String name) throws IOException, SQLException {
    StagingTable t = table(name, fixed("ordinal", "INTEGER PRIMARY KEY", "INTEGER"), null, true);
    int value = t.plainValue();
    long ordinal = 0;
    while (p.nextToken() != JsonToken.END_ARRAY) {
      if (p.currentToken() == null) {
        throw new com.fasterxml.jackson.core.JsonParseException(p, "unexpected end of the file");
      }
      ordinal++;
      t.startRow();
      t.setLong(0, ordinal);
      records.plain(p, t, value);
      t.endRow();
    }
  }

  /**
   * An object keyed by id: a row per entry. A map of plain values (seed 000's {tweet id: processed
   * at}) is rows of (key, value): the value is the whole record, so its doc is staged hidden, only
   * to rewrite values of mixed JSON kinds as JSON (see {@link StagingTable#finish}).
   */
  private void keyed(JsonParser p, Path file, String name, String keyColumn, boolean plain)
      throws IOException, SQLException {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      throw new FerryException(
          ErrorCode.USAGE,
          shown(file) + ": ferry.yaml files.keyed names it, but it does not hold a JSON object");
    }
    StagingTable t =
        table(
            name,
            fixed(ColumnNames.snake(keyColumn), "TEXT NOT NULL PRIMARY KEY", ""),
            null,
            rules.doc() || plain);
    int value = plain ? t.plainValue() : -1;
    // repeated keys are caught by the staging table's primary key: no key is held in memory
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String key = p.currentName();
      RecordWriter.checkText(p, key);
      JsonLocation at = p.currentTokenLocation();
      p.nextToken();
      t.startRow();
      t.setText(0, key);
      if (plain) {
        records.plain(p, t, value);
      } else {
        records.record(p, t, key);
      }
      t.endRow(repeatedKey(file, t, key, at.getLineNr(), offset(at)));
      if (!t.children.isEmpty()) {
        // each record's children, then the record: a repeated key's replacement then sees exactly
        // the children of the copies before it, never those of a later copy
        t.flush();
      }
    }
  }

  /**
   * A key seen again: JSON readers (json.load, JavaScript, jsonb) keep the last copy, so the later
   * row replaces the stored one, whose document goes to the rejects with its line (and its children
   * beyond the later copy's go too); under any policy but set-aside, the run stops.
   */
  private StagingTable.Conflict repeatedKey(
      Path file, StagingTable t, String key, long line, long offset) {
    Map<StagingTable, Long> kept = new HashMap<>();
    for (Map.Entry<String, StagingTable> child : children.entrySet()) {
      if (child.getKey().startsWith(t.name + '\0')) {
        kept.put(child.getValue(), records.childRows.getOrDefault(child.getValue(), 0L));
      }
    }
    return StagingTable.replacing(
        (c, row, e) -> {
          long earlier = lineBefore(file, key, offset);
          if (policy != BadValuePolicy.SET_ASIDE) {
            throw new FerryException(
                ErrorCode.SOURCE_UNREADABLE,
                String.format(
                    "%s:%d: key \"%s\" appears again (first at line %d); JSON readers keep only"
                        + " the last: remove one, or run with --on-bad-value set-aside to load"
                        + " the last and keep the earlier ones in ferry.rejects",
                    shown(file), line, abbreviate(key), firstLine(file, key)));
          }
          String why =
              String.format(
                  "key \"%s\" appears again at line %d; the later copy is loaded, as JSON"
                      + " readers (json.load, JavaScript, jsonb) read the file",
                  abbreviate(key), line);
          insertReject(c, t.name, file, earlier, why, t.storedDoc(c, key));
          for (Map.Entry<StagingTable, Long> k : kept.entrySet()) {
            k.getKey().deleteChildrenFrom(c, key, k.getValue());
          }
        });
  }

  /** Where a token starts in the file (bytes, or characters for a character source). */
  private static long offset(JsonLocation at) {
    return at.getByteOffset() >= 0 ? at.getByteOffset() : at.getCharOffset();
  }

  /** The line of the last copy of top-level {@code key} before {@code offset} (rare: errors). */
  private long lineBefore(Path file, String key, long offset) throws IOException {
    long found = 0;
    try (JsonParser p = factory.createParser(file.toFile())) {
      p.nextToken();
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        if (offset(p.currentTokenLocation()) >= offset) {
          break;
        }
        if (p.currentName().equals(key)) {
          found = p.currentTokenLocation().getLineNr();
        }
        p.nextToken();
        p.skipChildren();
      }
    }
    return found;
  }

  /** The line where {@code key} first appears at the top level of a keyed file (rare: errors). */
  private long firstLine(Path file, String key) throws IOException {
    try (JsonParser p = factory.createParser(file.toFile())) {
      p.nextToken();
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        if (p.currentName().equals(key)) {
          return p.currentTokenLocation().getLineNr();
        }
        p.nextToken();
        p.skipChildren();
      }
    }
    return 0;
  }

  private void wrapper(JsonParser p, Path file, String name, Set<String> arrayFields)
      throws IOException, SQLException {
    boolean one = arrayFields.size() == 1;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken v = p.nextToken();
      if (v == JsonToken.START_ARRAY && arrayFields.contains(field)) {
        array(p, ordinalTable(one ? name : name + "_" + ColumnNames.snake(field)));
      } else {
        stateRow(file, field, records.json(p), null);
      }
    }
  }

  /** An NDJSON / JSON Lines file: one record per line, blank lines skipped. */
  void ndjson(Path file) {
    input(file);
    String name = ColumnNames.snake(stem(file));
    try (InputStream in = Files.newInputStream(file);
        LineReader lines = new LineReader(in)) {
      StagingTable t =
          table(name, fixed("line", "INTEGER PRIMARY KEY", "INTEGER"), null, rules.doc());
      while (lines.next()) {
        if (lines.blank()) {
          continue;
        }
        try (JsonParser p = factory.createParser(lines.line, lines.from, lines.length)) {
          p.nextToken();
          t.startRow();
          t.setLong(0, lines.number);
          records.record(p, t, lines.number);
          if (p.nextToken() != null) {
            throw new com.fasterxml.jackson.core.JsonParseException(
                p, "more than one JSON value on the line");
          }
          t.endRow();
        } catch (JsonProcessingException e) {
          records.reset();
          byte[] raw =
              java.util.Arrays.copyOfRange(lines.line, lines.from, lines.from + lines.length);
          String text =
              Utf8.pgTextLength(raw) < 0
                  ? "base64:" + java.util.Base64.getEncoder().encodeToString(raw)
                  : new String(raw, StandardCharsets.UTF_8);
          String why = e.getOriginalMessage().lines().findFirst().orElse("");
          if (policy == BadValuePolicy.SET_ASIDE) {
            reject(t.name, file, lines.number, "not valid JSON: " + why, text);
          } else {
            JsonLocation at = e.getLocation();
            throw new FerryException(
                ErrorCode.SOURCE_UNREADABLE,
                String.format(
                    "%s:%d:%d: not valid JSON: %s; nothing was loaded (fix the line, or run with"
                        + " --on-bad-value set-aside to keep bad lines in ferry.rejects)",
                    shown(file), lines.number, at == null ? 0 : at.getColumnNr(), why));
          }
        }
      }
    } catch (IOException e) {
      throw unreadable(file, e);
    } catch (SQLException e) {
      throw staging(file, e);
    }
  }

  /** A directory of .json files, one document each: one table, a row per file. */
  void documents(Path dir, List<Path> files) {
    String name = ColumnNames.snake(dir.getFileName().toString());
    try {
      StagingTable t =
          table(
              name,
              fixed("file", "TEXT NOT NULL PRIMARY KEY", "", "modified", "", "TIMESTAMP"),
              null,
              rules.doc());
      for (Path f : files) {
        input(f);
        try (JsonParser p = factory.createParser(f.toFile())) {
          if (p.nextToken() == null) {
            notes.add(
                String.format(
                    "%s is empty (%s): no row in table %s; check the file",
                    shown(f), sizeText(f), t.name));
            continue;
          }
          t.startRow();
          t.setText(0, dir.relativize(f).toString());
          t.setText(1, modified(f));
          records.record(p, t, dir.relativize(f).toString());
          t.endRow();
          trailing(p, f);
        } catch (JsonProcessingException e) {
          throw syntax(f, e);
        }
      }
    } catch (IOException e) {
      throw unreadable(dir, e);
    } catch (SQLException e) {
      throw staging(dir, e);
    }
  }

  /**
   * A small text file: one row of the key/value state table. UTF-8, or UTF-16 with a byte order
   * mark (decoded exactly, and noted); anything else is refused with the reason.
   *
   * @return null when staged, else why the file cannot be read as text
   */
  String text(Path file) {
    try {
      byte[] bytes = Files.readAllBytes(file);
      TextDecoding.Decoded decoded = TextDecoding.decode(bytes);
      if (decoded.refused() != null) {
        return decoded.refused();
      }
      input(file);
      if (decoded.note() != null) {
        notes.add(shown(file) + ": " + decoded.note());
      }
      String value = decoded.text();
      String newline = value.endsWith("\r\n") ? "\r\n" : value.endsWith("\n") ? "\n" : null;
      if (newline != null) { // kept apart, so value + final_newline is the file exactly
        value = value.substring(0, value.length() - newline.length());
      }
      stateRow(file, stem(file), value, newline);
      return null;
    } catch (IOException e) {
      throw unreadable(file, e);
    } catch (SQLException e) {
      throw staging(file, e);
    }
  }

  private void stateRow(Path file, String key, String value, String newline)
      throws SQLException, IOException {
    if (state == null) {
      state =
          new StagingTable(
              writer,
              STATE_TABLE,
              fixed(
                  "path",
                  "TEXT NOT NULL",
                  "",
                  "key",
                  "TEXT NOT NULL",
                  "",
                  "value",
                  "",
                  "",
                  "final_newline",
                  "",
                  "",
                  "modified",
                  "",
                  "TIMESTAMP"),
              "PRIMARY KEY (path, key)",
              null,
              false,
              notes);
      tables.add(state);
    }
    state.startRow();
    state.setText(0, shown(file));
    state.setText(1, key);
    state.setText(2, value);
    if (newline != null) {
      state.setText(3, newline);
    }
    state.setText(4, modified(file));
    state.endRow();
  }

  /** A file's modification time as ISO 8601 UTC, to the microsecond PostgreSQL keeps. */
  private static String modified(Path f) throws IOException {
    return Files.getLastModifiedTime(f)
        .toInstant()
        .truncatedTo(java.time.temporal.ChronoUnit.MICROS)
        .toString();
  }

  private void reject(String table, Path file, long line, String reason, String text)
      throws SQLException {
    writer.submit(c -> insertReject(c, table, file, line, reason, text));
  }

  private void insertReject(
      Connection c, String table, Path file, long line, String reason, String text)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("INSERT INTO _ferry_rejects VALUES (?, ?, ?, ?, ?)")) {
      ps.setString(1, table);
      ps.setString(2, shown(file));
      ps.setLong(3, line);
      ps.setString(4, reason);
      ps.setString(5, text);
      ps.executeUpdate();
    }
    rejects.incrementAndGet();
  }

  private void input(Path file) {
    try {
      String shown = shown(file);
      long size = Files.size(file);
      String modified = Files.getLastModifiedTime(file).toString();
      writer.submit(
          c -> {
            try (PreparedStatement ps =
                c.prepareStatement("INSERT INTO _ferry_inputs VALUES (?, ?, ?)")) {
              ps.setString(1, shown);
              ps.setLong(2, size);
              ps.setString(3, modified);
              ps.executeUpdate();
            }
          });
    } catch (SQLException e) {
      throw staging(file, e);
    } catch (IOException e) {
      throw unreadable(file, e);
    }
  }

  private void notesToDb() throws SQLException {
    for (String n : notes) {
      meta("note:" + n, "");
    }
  }

  void meta(String key, String value) throws SQLException {
    writer.submit(
        c -> {
          try (PreparedStatement ps = c.prepareStatement("INSERT INTO _ferry_meta VALUES (?, ?)")) {
            ps.setString(1, key);
            ps.setString(2, value);
            ps.executeUpdate();
          }
        });
  }

  @Override
  public boolean unnests(StagingTable parent, String field) {
    if (parent == state) {
      return false;
    }
    if (rules.unnestAll() || rules.unnest().isEmpty()) {
      return rules.unnestAll(); // decided without naming the field: this runs for every array
    }
    return rules.unnest().contains(parent.name + "." + field)
        || rules.unnest().contains(parent.name + "." + ColumnNames.snake(field));
  }

  @Override
  public StagingTable child(StagingTable parent, String field) throws SQLException {
    String k = parent.name + '\0' + field;
    StagingTable c = children.get(k);
    if (c == null) {
      String name = tableNames.of(parent.name + "_" + ColumnNames.snake(field));
      String ref = ColumnNames.snake(parent.name + "_" + parent.keyColumn);
      c =
          new StagingTable(
              writer,
              name,
              fixed(ref, parent.keyDeclared + " NOT NULL", "", "idx", "INTEGER NOT NULL", ""),
              "PRIMARY KEY (" + SqlText.ident(ref) + ", idx)",
              "FOREIGN KEY ("
                  + SqlText.ident(ref)
                  + ") REFERENCES "
                  + SqlText.ident(parent.name)
                  + " ("
                  + SqlText.ident(parent.keyColumn)
                  + ")",
              false,
              notes);
      children.put(k, c);
      parent.children.add(c);
      tables.add(c);
      notes.add(
          String.format(
              "table %s: objects in field \"%s\" are rows of %s (%s, idx)",
              parent.name, field, name, ref));
    }
    return c;
  }

  /** Ends every table and commits. */
  void finish() throws SQLException {
    for (StagingTable t : tables) {
      t.finish();
    }
    notesToDb(); // after the tables, whose ending may note more
    writer.call(Connection::commit);
  }

  @Override
  public void close() throws SQLException {
    writer.close();
    db.close();
  }

  private FerryException syntax(Path file, JsonProcessingException e) {
    JsonLocation at = e.getLocation();
    return new FerryException(
        ErrorCode.SOURCE_UNREADABLE,
        String.format(
            "%s:%d:%d: not valid JSON: %s; nothing was loaded",
            shown(file),
            at == null ? 0 : at.getLineNr(),
            at == null ? 0 : at.getColumnNr(),
            e.getOriginalMessage().lines().findFirst().orElse("")),
        e);
  }

  private FerryException unreadable(Path file, IOException e) {
    return new FerryException(
        ErrorCode.SOURCE_UNREADABLE, shown(file) + ": cannot read: " + e.getMessage(), e);
  }

  private FerryException staging(Path file, SQLException e) {
    return StagingFailure.of(shown(file), e);
  }

  private static String abbreviate(String s) {
    return s.length() > 80 ? s.substring(0, 80) + "…" : s;
  }
}
