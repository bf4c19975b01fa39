package dev.ferry.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.source.sqlite.SqliteSource;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.zip.CRC32C;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteConnection;
import org.sqlite.SQLiteOpenMode;

/**
 * The copy a run reads from, taken before anything is read so every table comes from one consistent
 * snapshot while the application may go on writing, and kept with a manifest (sizes, times, sha256)
 * in {@code .ferry/backups/<run-id>} unless --no-backup. A database in rollback-journal mode is
 * copied as a file while a read transaction holds its shared lock (no writer can change the file
 * meanwhile); one in WAL mode, or with a journal beside it, through SQLite's online backup API. The
 * copy's checksum and its flush to disk run on a thread of their own while the run plans; the run
 * waits for them ({@link #awaitDurable}) and writes the manifest before it records that it reads
 * the copy, so a run resumed after a crash can check the copy it reads ({@link #check}).
 *
 * <p>The checksum is CRC32C, not SHA-256: it guards against a damaged or torn copy, not against an
 * attacker, and the JDK computes it with the CPU's CRC32 instructions in every JIT tier (0.2 s for
 * a 546 MB file), where SHA-256 runs on the CPU's SHA extensions only in C2-compiled code: under
 * {@code bin/ferry}'s C1-only JIT it took 5.2 CPU-seconds for the same file, on a machine where
 * every CPU-second is a second of the run.
 */
final class Backup {
  /**
   * How long the backup waits for the application's writers to let it read: a writer committing in
   * a tight loop can starve a reader's retries for seconds on a loaded machine (5 s was seen to
   * fail a test under load with SQLITE_BUSY).
   */
  private static final int BUSY_TIMEOUT_MS = 30_000;

  private static final String MANIFEST = "manifest.json";
  private static final int BUSY_SLEEP_MS = 100;
  private static final int BUSY_RETRIES = BUSY_TIMEOUT_MS / BUSY_SLEEP_MS;
  private final Path source;
  private final Path dir;
  private final Path copy;
  private final CompletableFuture<String> crc32c;
  private boolean manifestWritten;

  private Backup(Path source, Path dir, Path copy) {
    this.source = source;
    this.dir = dir;
    this.copy = copy;
    this.crc32c =
        CompletableFuture.supplyAsync(
            () -> {
              String sum = crc32c(copy);
              force(copy);
              return sum;
            });
  }

  /**
   * Waits until the copy is on disk and writes its manifest: a run resumed after a crash reads the
   * copy and checks it against the manifest.
   */
  void awaitDurable(UUID run) {
    try {
      crc32c.get();
    } catch (ExecutionException e) {
      throw new FerryException(
          ErrorCode.USAGE,
          "cannot read back the backup copy " + copy + ": " + e.getCause().getMessage(),
          e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FerryException(ErrorCode.INTERNAL, "interrupted while syncing the backup", e);
    }
    writeManifest(run);
  }

  private static void force(Path file) {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ch.force(true);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static Backup take(SqliteSource source, Path dir) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new FerryException(
          ErrorCode.USAGE,
          "cannot create the backup directory "
              + dir
              + ": "
              + e.getMessage()
              + " (choose another with --backup-dir, or --no-backup)",
          e);
    }
    Path copy = dir.resolve(source.file().getFileName());
    if (!copyFile(source.file(), copy)) {
      copy(source.file(), copy);
    }
    return new Backup(source.file(), dir, copy);
  }

  /**
   * Copies a rollback-journal database as a file under a read transaction: its shared lock keeps
   * every writer from changing the file until the copy is done (a writer waits, as for any reader).
   * False, leaving nothing behind, when the database is in WAL mode (the file alone is not the
   * snapshot), has a WAL file beside it, or cannot be locked or read (a hot journal a read-only
   * connection cannot roll back, for one): the backup API copies it.
   */
  private static boolean copyFile(Path from, Path to) {
    if (walMode(from) || sidecar(from, "-wal")) {
      return false;
    }
    SQLiteConfig config = new SQLiteConfig();
    config.setReadOnly(true);
    config.setOpenMode(SQLiteOpenMode.READONLY);
    config.setBusyTimeout(BUSY_TIMEOUT_MS);
    try (Connection c = config.createConnection("jdbc:sqlite:" + from)) {
      c.setAutoCommit(false);
      try (Statement st = c.createStatement();
          ResultSet held = st.executeQuery("SELECT count(*) FROM sqlite_master")) {
        held.next(); // the read transaction now holds the shared lock until the end of this block
        // Never open and close another handle on the file here: on POSIX systems closing any
        // descriptor of a file drops every lock the process holds on it, SQLite's shared lock too,
        // and a writer could then commit mid-copy. (No switch to WAL can happen under the shared
        // lock; the -wal check only looks at the directory.)
        if (sidecar(from, "-wal")) {
          return false;
        }
        Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
      }
      c.rollback();
      return true;
    } catch (SQLException | IOException e) {
      try {
        Files.deleteIfExists(to);
      } catch (IOException ignored) {
        // the backup API below overwrites it
      }
      return false;
    }
  }

  /** Bytes 18 and 19 of the header are 2 in WAL mode. */
  private static boolean walMode(Path db) {
    try (InputStream in = Files.newInputStream(db)) {
      byte[] head = in.readNBytes(20);
      return head.length < 20 || head[18] == 2 || head[19] == 2;
    } catch (IOException e) {
      return true; // the backup API reports what is wrong
    }
  }

  private static boolean sidecar(Path db, String suffix) {
    return Files.exists(db.resolveSibling(db.getFileName() + suffix));
  }

  /**
   * SQLite's online backup API called directly, with the destination as a file name: the {@code
   * backup to PATH} command of sqlite-jdbc parses its argument and stops at a space, so any space
   * in the backup's path (the source's file name, the working folder, --backup-dir) broke every
   * run.
   *
   * <p>All pages in one step ({@code pagesPerStep = -1}), under one read transaction: copied a
   * hundred pages at a time, the backup starts over whenever another connection writes between two
   * steps, so under an application writing a few times a second (the live migration's whole point)
   * a 546 MB database never finished copying. In WAL mode the one step blocks no writer; in
   * rollback mode writers wait, as for the file copy above.
   */
  private static void copy(Path from, Path to) {
    SQLiteConfig config = new SQLiteConfig();
    config.setReadOnly(true);
    config.setOpenMode(SQLiteOpenMode.READONLY);
    config.setBusyTimeout(BUSY_TIMEOUT_MS);
    try (Connection c = config.createConnection("jdbc:sqlite:" + from)) {
      int rc =
          c.unwrap(SQLiteConnection.class)
              .getDatabase()
              .backup(
                  "main", to.toAbsolutePath().toString(), null, BUSY_SLEEP_MS, BUSY_RETRIES, -1);
      if (rc != 0) {
        throw new SQLException(
            rc == 5
                ? "the database stayed locked by other connections for "
                    + BUSY_TIMEOUT_MS / 1000
                    + " s (SQLITE_BUSY); retry when its writers pause"
                : "SQLite's backup returned code " + rc);
      }
    } catch (SQLException e) {
      throw new FerryException(
          ErrorCode.SOURCE_UNREADABLE,
          "cannot back up " + from + " to " + to + ": " + e.getMessage(),
          e);
    }
  }

  Path copy() {
    return copy;
  }

  Path dir() {
    return dir;
  }

  /** Writes manifest.json once (waiting for the checksum) and flushes it to disk. */
  void writeManifest(UUID run) {
    if (manifestWritten) {
      return;
    }
    Map<String, Object> m = new LinkedHashMap<>();
    try {
      m.put("run_id", run.toString());
      m.put("taken_at", Instant.now().toString());
      m.put("ferry_version", Version.current());
      m.put("source", source.toString());
      m.put("source_bytes", Files.size(source));
      m.put("source_modified", Files.getLastModifiedTime(source).toString());
      m.put("copy", copy.getFileName().toString());
      m.put("copy_bytes", Files.size(copy));
      m.put("copy_crc32c", crc32c.get());
      Path manifest = dir.resolve(MANIFEST);
      new ObjectMapper()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .writeValue(manifest.toFile(), m);
      force(manifest);
      manifestWritten = true;
    } catch (IOException | ExecutionException e) {
      throw new FerryException(
          ErrorCode.USAGE, "cannot write the backup manifest in " + dir + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FerryException(
          ErrorCode.INTERNAL, "interrupted while writing the backup manifest", e);
    }
  }

  /** Deletes the copy and its directory (the run it was taken for was refused). */
  void remove() {
    crc32c.cancel(false);
    try (var walk = Files.walk(dir)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      // best effort: retention removes what is left
    }
  }

  /** The file's CRC32C as 8 hex digits. */
  static String crc32c(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      CRC32C crc = new CRC32C();
      byte[] buf = new byte[1 << 20];
      for (int n; (n = in.read(buf)) > 0; ) {
        crc.update(buf, 0, n);
      }
      return String.format("%08x", crc.getValue());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /**
   * Refuses a copy that no longer matches the manifest written when it was taken (a crash of the
   * machine can leave a copy torn even after its flush was requested; a disk can damage it). A copy
   * without a manifest, or with one from before manifests carried a CRC32C, is taken as it is.
   */
  static void check(Path copy, java.util.UUID run) {
    Path manifest = copy.resolveSibling(MANIFEST);
    if (!Files.exists(manifest)) {
      return;
    }
    try {
      com.fasterxml.jackson.databind.JsonNode m = new ObjectMapper().readTree(manifest.toFile());
      String why = null;
      if (m.has("copy_bytes") && m.get("copy_bytes").asLong() != Files.size(copy)) {
        why = Files.size(copy) + " bytes, the manifest says " + m.get("copy_bytes").asLong();
      } else if (m.has("copy_crc32c") && !m.get("copy_crc32c").asText().equals(crc32c(copy))) {
        why =
            "its CRC32C is "
                + crc32c(copy)
                + ", the manifest says "
                + m.get("copy_crc32c").asText();
      }
      if (why != null) {
        throw new FerryException(
            ErrorCode.USAGE,
            "run "
                + run
                + " read the backup "
                + copy
                + ", which has changed since ("
                + why
                + "): resuming from it could load damaged data; start over with --if-exists drop");
      }
    } catch (IOException e) {
      throw new FerryException(
          ErrorCode.USAGE,
          "cannot read the backup manifest " + manifest + ": " + e.getMessage(),
          e);
    }
  }
}
