package dev.ferry.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * How long backup copies are kept: 7 days by default (seed 001 keeps a week), {@code
 * FERRY_BACKUP_KEEP_DAYS} to change it. At the start of each migration, the copies in its backup
 * directory (the folders named by a run id) older than that are removed, except a resumable run's
 * (running or failed in the target): a re-run reads it.
 */
final class BackupRetention {
  static final String VARIABLE = "FERRY_BACKUP_KEEP_DAYS";
  static final Duration DEFAULT = Duration.ofDays(7);

  /** What a pruning removed. */
  record Pruned(int copies, long bytes) {}

  private BackupRetention() {}

  /** The retention period: FERRY_BACKUP_KEEP_DAYS (whole days, 0 or more) or 7 days. */
  static Duration keep(Map<String, String> env) {
    String days = env.get(VARIABLE);
    if (days == null || days.isBlank()) {
      return DEFAULT;
    }
    try {
      long n = Long.parseLong(days.trim());
      if (n >= 0 && n <= 36_500) {
        return Duration.ofDays(n);
      }
    } catch (NumberFormatException e) {
      // refused below
    }
    throw new FerryException(
        ErrorCode.USAGE,
        VARIABLE + "=" + days + ": give the days to keep backup copies, a whole number from 0");
  }

  /**
   * Removes the run folders under {@code root} taken more than {@code keep} before {@code now},
   * except those of {@code resumable} runs.
   */
  static Pruned prune(Path root, Duration keep, Set<UUID> resumable, Instant now) {
    if (!Files.isDirectory(root)) {
      return new Pruned(0, 0);
    }
    int copies = 0;
    long bytes = 0;
    for (Path dir : runFolders(root)) {
      UUID run = UUID.fromString(dir.getFileName().toString());
      if (resumable.contains(run) || takenAt(dir).isAfter(now.minus(keep))) {
        continue;
      }
      long size = size(dir);
      if (delete(dir)) {
        copies++;
        bytes += size;
      }
    }
    return new Pruned(copies, bytes);
  }

  /** The folders of {@code root} named by a run id: nothing else there is Ferry's to remove. */
  private static List<Path> runFolders(Path root) {
    List<Path> out = new ArrayList<>();
    try (Stream<Path> list = Files.list(root)) {
      list.filter(Files::isDirectory)
          .filter(
              p -> p.getFileName().toString().matches("[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}"))
          .forEach(out::add);
    } catch (IOException e) {
      // an unreadable backup directory: nothing is pruned
    }
    return out;
  }

  /** When the copy was taken: its manifest's taken_at, else the folder's modification time. */
  static Instant takenAt(Path dir) {
    Path manifest = dir.resolve("manifest.json");
    try {
      if (Files.exists(manifest)) {
        JsonNode m = new ObjectMapper().readTree(manifest.toFile());
        if (m.hasNonNull("taken_at")) {
          return Instant.parse(m.get("taken_at").asText());
        }
      }
      return Files.getLastModifiedTime(dir).toInstant();
    } catch (IOException | java.time.format.DateTimeParseException e) {
      return Instant.now(); // unreadable: treated as new, kept
    }
  }

  /** The bytes the files under {@code dir} take (0 when it is gone). */
  static long size(Path dir) {
    if (!Files.exists(dir)) {
      return 0;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk.filter(Files::isRegularFile).mapToLong(BackupRetention::sizeOf).sum();
    } catch (IOException | java.io.UncheckedIOException e) {
      return 0;
    }
  }

  private static long sizeOf(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      return 0;
    }
  }

  private static boolean delete(Path dir) {
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** Bytes for people: 1.2 GB, 340 MB, 12 kB. */
  static String human(long bytes) {
    if (bytes < 1000) {
      return bytes + " B";
    }
    String units = "kMGTP";
    double v = bytes;
    int u = -1;
    while (v >= 1000 && u < units.length() - 1) {
      v /= 1000;
      u++;
    }
    return String.format(
        java.util.Locale.ROOT, v < 10 ? "%.1f %sB" : "%.0f %sB", v, units.charAt(u));
  }
}
