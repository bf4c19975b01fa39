package dev.ferry.sync;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.config.FerryConfig;
import dev.ferry.value.BadValuePolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * What one {@code ferry sync …}, {@code ferry cutover} command was asked to do.
 *
 * @param source the SQLite file the application writes
 * @param target target URL, or null for DATABASE_URL / PG* / the embedded server
 * @param schema target schema
 * @param config ferry.yaml (FerryConfig.none() when there is none)
 * @param badValues what to do with values PostgreSQL cannot hold as stored (as in migrate)
 * @param workDir where .ferry/ lives (backups, the embedded server, the sync's scratch file)
 * @param metricsPort Prometheus port of sync start, 0 for none
 * @param maxFreeze the longest cutover may hold the application's writes
 * @param exec the user's own switch command run by cutover while writes are frozen, or null
 * @param json print JSON instead of text
 */
public record SyncOptions(
    Path source,
    String target,
    String schema,
    FerryConfig config,
    BadValuePolicy badValues,
    Path workDir,
    int metricsPort,
    Duration maxFreeze,
    String exec,
    boolean json) {
  public SyncOptions {
    if (source == null || !Files.isRegularFile(source)) {
      throw new FerryException(
          ErrorCode.USAGE, "name the SQLite file the application writes: " + source);
    }
    source = source.toAbsolutePath().normalize();
    schema = schema == null ? "public" : schema;
    config = config == null ? FerryConfig.none() : config;
    badValues = badValues == null ? BadValuePolicy.FIX : badValues;
    maxFreeze = maxFreeze == null ? Duration.ofSeconds(5) : maxFreeze;
    if (metricsPort < 0 || metricsPort > 65535) {
      throw new FerryException(ErrorCode.USAGE, "--metrics-port " + metricsPort + ": use 1-65535");
    }
  }

  /** The name sync state is kept under on both sides: the file's absolute path. */
  String key() {
    return source.toString();
  }
}
