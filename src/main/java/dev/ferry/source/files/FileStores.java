package dev.ferry.source.files;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamWriteConstraints;
import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.value.BadValuePolicy;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * JSON, NDJSON and text files as sources: the package's entry point. {@link #expand} turns what the
 * user named (a file or a directory mixing files and SQLite databases) into SQLite sources: the
 * databases it found, and one staging database holding a table per JSON/text store, written by
 * streaming (Jackson) with bounded memory. The rest of Ferry migrates a staged database like any
 * SQLite file; its {@code _ferry_*} tables tell the planner what the JSON values were.
 */
public final class FileStores {
  private static final byte[] SQLITE_MAGIC =
      "SQLite format 3\0".getBytes(StandardCharsets.US_ASCII);
  private static final long TEXT_MAX_BYTES = 1 << 20;

  private FileStores() {}

  /** What expanding one argument gave: SQLite sources in order, and what was left out. */
  public record Expanded(List<Path> sources, List<String> skipped) {}

  /** A row of an NDJSON file (or a repeated key) set aside while staging. */
  public record Reject(String table, String file, long line, String reason, String text) {}

  /** True when {@code p} is something {@link #expand} reads (not a plain SQLite file). */
  public static boolean handles(Path p) {
    if (Files.isDirectory(p)) {
      return true;
    }
    String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
    return n.endsWith(".json")
        || n.endsWith(".ndjson")
        || n.endsWith(".jsonl")
        || n.endsWith(".txt");
  }

  static JsonFactory factory() {
    return JsonFactory.builder()
        .streamReadConstraints(
            StreamReadConstraints.builder()
                .maxStringLength(Integer.MAX_VALUE)
                .maxNumberLength(100_000)
                .maxNestingDepth(10_000)
                .build())
        .streamWriteConstraints(StreamWriteConstraints.builder().maxNestingDepth(10_000).build())
        // staged JSON is written as UTF-8 (RecordWriter): a character beyond the BMP as its four
        // bytes, as the file had it, not as an escaped surrogate pair
        .enable(com.fasterxml.jackson.core.json.JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
        .build();
  }

  /**
   * Expands a file or directory into SQLite sources, staging its JSON and text stores into {@code
   * stagingRoot}. A staged database is reused when the same files (path, size, modification time)
   * under the same rules made it, so a re-run resumes against the same snapshot.
   *
   * @throws FerryException SOURCE_UNREADABLE naming the file, line and column of bad JSON
   */
  public static Expanded expand(
      Path input,
      FileRules rules,
      BadValuePolicy policy,
      Path stagingRoot,
      java.io.PrintStream out) {
    Path in = input.toAbsolutePath().normalize();
    if (!Files.exists(in)) {
      throw new FerryException(ErrorCode.SOURCE_UNREADABLE, input + ": no such file or directory");
    }
    Inventory inv = new Inventory(Files.isDirectory(in) ? in : in.getParent());
    if (Files.isDirectory(in)) {
      inv.walk(in);
    } else {
      inv.file(in, true);
    }
    List<Path> sources = new ArrayList<>(inv.sqlite);
    if (inv.isEmpty()) {
      return new Expanded(sources, inv.skipped);
    }
    String name = ColumnNames.snake(stemOf(in));
    String fingerprint = inv.fingerprint(rules, policy);
    Path dir = stagingRoot.resolve(name + "-" + hash(in.toString()).substring(0, 10));
    Path db = dir.resolve(name + ".db");
    if (Files.exists(db) && fingerprint.equals(meta(db, "fingerprint"))) {
      out.printf("Staged: %s (reused: the files are unchanged since it was made)%n", db);
      return new Expanded(withStaged(sources, db), inv.skipped);
    }
    long started = System.nanoTime();
    try {
      Files.createDirectories(dir);
      Path tmp = dir.resolve(name + ".db.partial");
      Files.deleteIfExists(tmp);
      try (Stager stager = new Stager(tmp, inv.root, rules, policy, factory())) {
        inv.stage(stager);
        stager.meta("origin", in.toString());
        stager.meta("fingerprint", fingerprint);
        stager.finish();
      }
      Files.move(
          tmp,
          db,
          java.nio.file.StandardCopyOption.REPLACE_EXISTING,
          java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new FerryException(
          ErrorCode.SOURCE_UNREADABLE,
          "cannot stage " + input + " in " + dir + ": " + e.getMessage(),
          e);
    } catch (SQLException e) {
      throw StagingFailure.of(input + " (staged in " + dir + ")", e);
    }
    out.printf(
        "Staged: %s from %,d files, %,.1f MB in %.1f s (%s)%n",
        input, inv.inputs.size(), inv.bytes / 1e6, (System.nanoTime() - started) / 1e9, db);
    return new Expanded(withStaged(sources, db), inv.skipped);
  }

  private static List<Path> withStaged(List<Path> sources, Path db) {
    List<Path> all = new ArrayList<>();
    all.add(db);
    all.addAll(sources);
    return all;
  }

  /** The file or directory a staged database was made from, or null for an ordinary database. */
  public static String origin(Path db) {
    return meta(db, "origin");
  }

  /** What staging noted (renamed fields, child tables), for the run's report. */
  public static List<String> notes(Path db) {
    List<String> out = new ArrayList<>();
    query(
        db,
        "SELECT substr(k, 6) FROM _ferry_meta WHERE k LIKE 'note:%' ORDER BY rowid",
        rs -> out.add(rs.getString(1)));
    return out;
  }

  /** Lines (or repeated keys) set aside while staging, one by one, in file order. */
  public static void forEachReject(Path db, java.util.function.Consumer<Reject> each) {
    query(
        db,
        "SELECT tbl, file, line, reason, text FROM _ferry_rejects ORDER BY rowid",
        rs ->
            each.accept(
                new Reject(
                    rs.getString(1),
                    rs.getString(2),
                    rs.getLong(3),
                    rs.getString(4),
                    rs.getString(5))));
  }

  /** How many lines (or repeated keys) staging set aside, per table. */
  public static java.util.Map<String, Long> rejectCounts(Path db) {
    java.util.Map<String, Long> out = new java.util.HashMap<>();
    query(
        db,
        "SELECT tbl, count(*) FROM _ferry_rejects GROUP BY tbl",
        rs -> out.put(rs.getString(1), rs.getLong(2)));
    return out;
  }

  private interface Row {
    void accept(ResultSet rs) throws SQLException;
  }

  private static String meta(Path db, String key) {
    String[] v = new String[1];
    query(db, "SELECT v FROM _ferry_meta WHERE k = '" + key + "'", rs -> v[0] = rs.getString(1));
    return v[0];
  }

  private static void query(Path db, String sql, Row row) {
    if (!Files.isRegularFile(db)) {
      return;
    }
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:file:" + db + "?mode=ro");
        Statement st = c.createStatement()) {
      try (ResultSet has =
          st.executeQuery("SELECT 1 FROM sqlite_master WHERE name = '_ferry_meta'")) {
        if (!has.next()) {
          return;
        }
      }
      try (ResultSet rs = st.executeQuery(sql)) {
        while (rs.next()) {
          row.accept(rs);
        }
      }
    } catch (SQLException e) {
      // not a staged database (or not a database): nothing to say
    }
  }

  static boolean isSqlite(Path f) {
    try (InputStream in = Files.newInputStream(f)) {
      byte[] head = in.readNBytes(SQLITE_MAGIC.length);
      return java.util.Arrays.equals(head, SQLITE_MAGIC);
    } catch (IOException e) {
      return false;
    }
  }

  static String stemOf(Path p) {
    String f = p.getFileName().toString();
    int dot = f.lastIndexOf('.');
    return !Files.isDirectory(p) && dot > 0 ? f.substring(0, dot) : f;
  }

  static String hash(String s) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** What a walk found, in a stable order. */
  private static final class Inventory {
    final Path root;
    final List<Path> sqlite = new ArrayList<>();
    final List<String> skipped = new ArrayList<>();
    final List<Path> inputs = new ArrayList<>();
    final List<Runnable> steps = new ArrayList<>();
    long bytes;
    private Stager stager;

    Inventory(Path root) {
      this.root = root;
    }

    boolean isEmpty() {
      return steps.isEmpty();
    }

    void walk(Path dir) {
      List<Path> entries;
      try (Stream<Path> s = Files.list(dir)) {
        entries = s.filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList();
      } catch (IOException e) {
        throw new FerryException(
            ErrorCode.SOURCE_UNREADABLE, dir + ": cannot list: " + e.getMessage(), e);
      }
      List<Path> json = new ArrayList<>();
      for (Path p : entries) {
        if (Files.isRegularFile(p) && lower(p).endsWith(".json")) {
          json.add(p);
        }
      }
      boolean documents = json.size() >= 2 && documents(json);
      if (documents) {
        add(json);
        steps.add(() -> stager.documents(dir, json));
      }
      for (Path p : entries) {
        if (Files.isDirectory(p)) {
          walk(p);
        } else if (!(documents && json.contains(p))) {
          file(p, false);
        }
      }
    }

    /** Every file a one-document-per-file directory: each an object, none keyed by id. */
    private static boolean documents(List<Path> json) {
      JsonFactory f = factory();
      int objects = 0;
      for (Path p : json.subList(0, Math.min(json.size(), 20))) {
        try (com.fasterxml.jackson.core.JsonParser parser = f.createParser(p.toFile())) {
          com.fasterxml.jackson.core.JsonToken first = parser.nextToken();
          if (first == null) {
            continue; // an empty draft is noted when staged; it says nothing about the others
          }
          objects++;
          if (first != com.fasterxml.jackson.core.JsonToken.START_OBJECT
              || JsonShape.judge(f, p).shape() == JsonShape.KEYED) {
            return false;
          }
        } catch (IOException e) {
          return false; // judged (and reported) file by file
        }
      }
      return objects >= 2;
    }

    /**
     * @param named the user named this file: not loading it is an error, never a "Skipped" line
     */
    void file(Path p, boolean named) {
      String n = lower(p);
      if (n.endsWith(".json")) {
        add(List.of(p));
        steps.add(() -> stager.json(p, named));
      } else if (n.endsWith(".ndjson") || n.endsWith(".jsonl")) {
        add(List.of(p));
        steps.add(() -> stager.ndjson(p));
      } else if (isSqlite(p)) {
        sqlite.add(p);
      } else if (n.endsWith(".txt") || (!n.contains(".") && size(p) <= TEXT_MAX_BYTES)) {
        add(List.of(p));
        steps.add(
            () -> {
              String refused = stager.text(p);
              if (refused != null && named) {
                throw new FerryException(
                    ErrorCode.SOURCE_UNREADABLE, p + ": " + refused + "; nothing was loaded");
              } else if (refused != null) {
                skipped.add(root.relativize(p) + " (" + refused + ")");
              }
            });
      } else {
        skipped.add(root.relativize(p) + " (not SQLite, JSON, NDJSON or text)");
      }
    }

    private static long size(Path p) {
      try {
        return Files.size(p);
      } catch (IOException e) {
        return Long.MAX_VALUE;
      }
    }

    private void add(List<Path> files) {
      for (Path f : files) {
        inputs.add(f);
        bytes += size(f);
      }
    }

    String fingerprint(FileRules rules, BadValuePolicy policy) {
      StringBuilder b = new StringBuilder(rules.fingerprint()).append('|').append(policy);
      for (Path f : inputs) {
        try {
          b.append('|')
              .append(root.relativize(f))
              .append(':')
              .append(Files.size(f))
              .append(':')
              .append(Files.getLastModifiedTime(f).toMillis());
        } catch (IOException e) {
          b.append("|?");
        }
      }
      return hash(b.toString());
    }

    void stage(Stager s) {
      this.stager = s;
      steps.forEach(Runnable::run);
    }

    private static String lower(Path p) {
      return p.getFileName().toString().toLowerCase(Locale.ROOT);
    }
  }
}
