package dev.ferry.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.source.sqlite.SqliteSource;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * The copy a run reads from: taken with SQLite's online backup API before anything is read, so
 * every table comes from one consistent snapshot while the application may go on writing, and kept
 * with a manifest (sizes, times, sha256) in {@code .ferry/backups/<run-id>} unless --no-backup. The
 * sha256 is computed on a thread of its own while the run goes on.
 */
final class Backup {
  private final Path source;
  private final Path dir;
  private final Path copy;
  private final CompletableFuture<String> sha256;

  private Backup(Path source, Path dir, Path copy) {
    this.source = source;
    this.dir = dir;
    this.copy = copy;
    this.sha256 = CompletableFuture.supplyAsync(() -> sha256(copy));
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
    source.backupTo(copy);
    return new Backup(source.file(), dir, copy);
  }

  Path copy() {
    return copy;
  }

  Path dir() {
    return dir;
  }

  /** Writes manifest.json (waiting for the checksum). */
  void writeManifest(UUID run) {
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
      m.put("copy_sha256", sha256.get());
      new ObjectMapper()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .writeValue(dir.resolve("manifest.json").toFile(), m);
    } catch (IOException | ExecutionException e) {
      throw new FerryException(
          ErrorCode.USAGE, "cannot write the backup manifest in " + dir + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FerryException(
          ErrorCode.INTERNAL, "interrupted while writing the backup manifest", e);
    }
  }

  static String sha256(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[1 << 20];
      for (int n; (n = in.read(buf)) > 0; ) {
        md.update(buf, 0, n);
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }
}
