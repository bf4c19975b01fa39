package dev.ferry.run;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.load.IfExists;
import dev.ferry.plan.PlanOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A migration request, validated once when built: every later step may trust it.
 *
 * @param source the SQLite file
 * @param target target URL, or null for DATABASE_URL / PG* / the embedded server
 * @param schema target schema
 * @param ifExists what to do with tables that exist
 * @param only include patterns
 * @param exclude exclude patterns
 * @param jobs tables loaded in parallel
 * @param dryRun print the plan and DDL only
 * @param keepCase keep the letter case of names
 * @param verify how much to verify after the load
 * @param badValues what to do with values PostgreSQL cannot hold as stored
 * @param config ferry.yaml, checked (FerryConfig.none() when there is none)
 * @param backupDir where the backup goes (null: .ferry/backups/RUN-ID under workDir)
 * @param backup take a backup and read from it (false: --no-backup, read the source directly)
 * @param priority move only tables of this priority (P0, P1, P2), or null for all
 * @param resume require an interrupted run to resume (a plain re-run resumes one anyway)
 * @param chunkRows rows per committed chunk of a big table, the unit of resume (0: whole tables)
 * @param report JSON report file, or null
 * @param workDir where .ferry/ lives
 */
public record RunOptions(
    Path source,
    String target,
    String schema,
    IfExists ifExists,
    List<String> only,
    List<String> exclude,
    int jobs,
    boolean dryRun,
    boolean keepCase,
    dev.ferry.verify.Verifier.Mode verify,
    dev.ferry.value.BadValuePolicy badValues,
    dev.ferry.config.FerryConfig config,
    Path backupDir,
    boolean backup,
    String priority,
    boolean resume,
    long chunkRows,
    Path report,
    Path workDir) {
  private static final Pattern SCHEMA = Pattern.compile("[A-Za-z_][A-Za-z0-9_$]{0,62}");
  static final int MAX_JOBS = 64;

  public RunOptions {
    if (source == null) {
      throw new FerryException(
          ErrorCode.USAGE, "name the SQLite file to migrate: ferry migrate SOURCE.db");
    }
    if (schema == null || !SCHEMA.matcher(schema).matches()) {
      throw new FerryException(
          ErrorCode.USAGE,
          "--schema '"
              + schema
              + "' is not a plain PostgreSQL name: use letters, digits and _, at most 63");
    }
    if (jobs < 1 || jobs > MAX_JOBS) {
      throw new FerryException(
          ErrorCode.USAGE, "--jobs " + jobs + " is out of range: use 1 to " + MAX_JOBS);
    }
    only = List.copyOf(only);
    exclude = List.copyOf(exclude);
    ifExists = ifExists == null ? IfExists.FAIL : ifExists;
    verify = verify == null ? dev.ferry.verify.Verifier.Mode.CHECKSUM : verify;
    badValues = badValues == null ? dev.ferry.value.BadValuePolicy.FIX : badValues;
    config = config == null ? dev.ferry.config.FerryConfig.none() : config;
    if (priority != null && !dev.ferry.config.FerryConfig.LEVELS.contains(priority)) {
      throw new FerryException(ErrorCode.USAGE, "--priority " + priority + ": use P0, P1 or P2");
    }
    if (chunkRows < 0) {
      throw new FerryException(
          ErrorCode.USAGE, "--chunk-rows " + chunkRows + ": use 0 (whole tables) or more");
    }
    if ("ferry".equals(schema)) {
      throw new FerryException(
          ErrorCode.USAGE, "--schema ferry is Ferry's own metadata schema: choose another name");
    }
  }

  PlanOptions planOptions() {
    String name = sourceName();
    List<String> left = new java.util.ArrayList<>(exclude);
    left.addAll(config.kept(name)); // keep: tables stay in SQLite
    List<dev.ferry.plan.Cast> casts = new java.util.ArrayList<>();
    for (dev.ferry.plan.Cast c :
        config.casts()) { // source.table.column applies to that source only
      int dot = c.table().indexOf('.');
      if (dot < 0) {
        casts.add(c);
      } else if (c.table().substring(0, dot).equalsIgnoreCase(name)) {
        casts.add(
            new dev.ferry.plan.Cast(c.table().substring(dot + 1), c.column(), c.type(), c.line()));
      }
    }
    return new PlanOptions(
        schema,
        only,
        left,
        keepCase,
        jobs,
        casts,
        t -> config.priority(name, t),
        priority,
        config.indexes());
  }

  /** The source's name for priorities and schemas: its file name without extension, lower case. */
  public String sourceName() {
    return sourceName(source);
  }

  /** A file's name without extension, lower case. */
  public static String sourceName(Path file) {
    String f = file.getFileName().toString();
    int dot = f.lastIndexOf('.');
    return (dot > 0 ? f.substring(0, dot) : f).toLowerCase(java.util.Locale.ROOT);
  }

  /** The default number of parallel jobs: one per core. */
  public static int defaultJobs() {
    return Math.max(1, Runtime.getRuntime().availableProcessors());
  }
}
