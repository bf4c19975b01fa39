package dev.ferry.run;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.config.FerryConfig;
import dev.ferry.load.IfExists;
import dev.ferry.plan.Cast;
import dev.ferry.plan.PlanOptions;
import dev.ferry.postgres.Redaction;
import dev.ferry.source.sqlite.SqliteSource;
import dev.ferry.value.BadValuePolicy;
import dev.ferry.verify.Verifier;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A migration request: the source, where .ferry/ lives, the checked ferry.yaml and one value per
 * {@link RunSetting}. Built by {@link #builder()}, validated once by {@link Builder#build()} and
 * immutable after: every later step may trust it.
 */
public final class RunOptions {
  static final int MAX_JOBS = 64;

  private final Path source;
  private final boolean staged;
  private final Path workDir;
  private final FerryConfig config;
  private final Map<RunSetting, Object> values;

  private RunOptions(
      Path source,
      boolean staged,
      Path workDir,
      FerryConfig config,
      Map<RunSetting, Object> values) {
    this.source = source;
    this.staged = staged;
    this.workDir = workDir;
    this.config = config;
    this.values = Collections.unmodifiableMap(new EnumMap<>(values));
  }

  /** A builder with every setting at its default. */
  public static Builder builder() {
    return new Builder();
  }

  /** The value of one setting (its default when none was given). */
  public Object get(RunSetting setting) {
    return values.get(setting.slot());
  }

  /** The SQLite file. */
  public Path source() {
    return source;
  }

  /**
   * True when the source is a database Ferry staged from JSON and text files in this invocation:
   * its {@code _ferry_*} tables (column hints, notes, set-aside lines) are Ferry's. Said by the
   * code that staged it, never by the file (any user's file may hold tables with those names), and
   * no command-line option or ferry.yaml setting: a user cannot make their file count as staged.
   */
  public boolean staged() {
    return staged;
  }

  /** Opens the source: a staged database with its hints, any other as the user's file. */
  SqliteSource openSource() {
    return staged ? SqliteSource.openStaged(source) : SqliteSource.open(source);
  }

  /** Target URL, or null for DATABASE_URL / PG* / the embedded server. */
  public String target() {
    return (String) get(RunSetting.TARGET);
  }

  public String schema() {
    return (String) get(RunSetting.SCHEMA);
  }

  public IfExists ifExists() {
    return (IfExists) get(RunSetting.IF_EXISTS);
  }

  /** Include patterns. */
  @SuppressWarnings("unchecked")
  public List<String> only() {
    return (List<String>) get(RunSetting.ONLY);
  }

  /** Exclude patterns. */
  @SuppressWarnings("unchecked")
  public List<String> exclude() {
    return (List<String>) get(RunSetting.EXCLUDE);
  }

  /** Tables loaded in parallel. */
  public int jobs() {
    return (Integer) get(RunSetting.JOBS);
  }

  /** Print the plan and DDL only. */
  public boolean dryRun() {
    return (Boolean) get(RunSetting.DRY_RUN);
  }

  public boolean keepCase() {
    return (Boolean) get(RunSetting.KEEP_CASE);
  }

  /** How much to verify after the load. */
  public Verifier.Mode verify() {
    return (Verifier.Mode) get(RunSetting.VERIFY);
  }

  /** What to do with values PostgreSQL cannot hold as stored. */
  public BadValuePolicy badValues() {
    return (BadValuePolicy) get(RunSetting.ON_BAD_VALUE);
  }

  /** ferry.yaml, checked (FerryConfig.none() when there is none). */
  public FerryConfig config() {
    return config;
  }

  /** Where the backup goes (null: .ferry/backups/RUN-ID under workDir). */
  public Path backupDir() {
    return (Path) get(RunSetting.BACKUP_DIR);
  }

  /** Take a backup and read from it (false: --no-backup, read the source directly). */
  public boolean backup() {
    return (Boolean) get(RunSetting.BACKUP);
  }

  /** Move only tables of this priority (P0, P1, P2), or null for all. */
  public String priority() {
    return (String) get(RunSetting.PRIORITY);
  }

  /** Require an interrupted run to resume (a plain re-run resumes one anyway). */
  public boolean resume() {
    return (Boolean) get(RunSetting.RESUME);
  }

  /** Rows per committed chunk of a big table, the unit of resume (0: whole tables). */
  public long chunkRows() {
    return (Long) get(RunSetting.CHUNK_ROWS);
  }

  /** How big tables' types are chosen before the load: from a sample, or a full profile. */
  public dev.ferry.plan.Sampling profile() {
    return (dev.ferry.plan.Sampling) get(RunSetting.PROFILE);
  }

  /** JSON report file, or null. */
  public Path report() {
    return (Path) get(RunSetting.REPORT);
  }

  /** Where .ferry/ lives. */
  public Path workDir() {
    return workDir;
  }

  /**
   * What ferry.runs.options records of this run: where it read from, then every recorded setting
   * under its record key, in the order the settings are defined.
   */
  public Map<String, Object> forRecord(String backupCopy, String sourceStamp) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("backup_copy", backupCopy);
    m.put("source_stamp", sourceStamp);
    for (RunSetting s : RunSetting.values()) {
      if (s.recordKey() != null) {
        m.put(s.recordKey(), RunSetting.recorded(get(s)));
      }
    }
    if (!config.map().isEmpty()) { // what ferry verify checks ferry.yaml's map: against
      Map<String, Object> map = new LinkedHashMap<>();
      config.map().forEach(e -> map.put(e.source(), dev.ferry.map.Mappings.spec(e)));
      m.put("map", map);
    }
    return m;
  }

  public PlanOptions planOptions() {
    String name = sourceName();
    List<String> left = new ArrayList<>(exclude());
    left.addAll(config.kept(name)); // keep: tables stay in SQLite
    List<Cast> casts = new ArrayList<>();
    for (Cast c : config.casts()) { // source.table.column applies to that source only
      int dot = c.table().indexOf('.');
      if (dot < 0) {
        casts.add(c);
      } else if (c.table().substring(0, dot).equalsIgnoreCase(name)) {
        casts.add(new Cast(c.table().substring(dot + 1), c.column(), c.type(), c.line()));
      }
    }
    return new PlanOptions(
        schema(),
        only(),
        left,
        keepCase(),
        jobs(),
        casts,
        t -> config.priority(name, t),
        priority(),
        config.indexes(),
        config.fulltextLanguage());
  }

  /** The source's name for priorities and schemas: its file name without extension, lower case. */
  public String sourceName() {
    return sourceName(source);
  }

  /** A file's name without extension, lower case. */
  public static String sourceName(Path file) {
    String f = file.getFileName().toString();
    int dot = f.lastIndexOf('.');
    return (dot > 0 ? f.substring(0, dot) : f).toLowerCase(Locale.ROOT);
  }

  /** The default number of parallel jobs: one per core. */
  public static int defaultJobs() {
    return Math.max(1, Runtime.getRuntime().availableProcessors());
  }

  @Override
  public String toString() {
    Map<RunSetting, Object> shown = new EnumMap<>(values);
    shown.computeIfPresent(RunSetting.TARGET, (k, v) -> Redaction.redact((String) v));
    return "RunOptions[source=" + source + ", workDir=" + workDir + ", " + shown + "]";
  }

  /**
   * Collects settings, then checks them all once in {@link #build()}; after that it is sealed (as
   * HikariCP seals its configuration) and refuses changes.
   */
  public static final class Builder {
    private final Map<RunSetting, Object> values = new EnumMap<>(RunSetting.class);
    private Path source;
    private boolean staged;
    private Path workDir;
    private FerryConfig config;
    private boolean sealed;

    private Builder() {}

    /** Sets a setting (null: its default); the value must be of the setting's type. */
    public Builder set(RunSetting setting, Object value) {
      if (sealed) {
        throw new IllegalStateException("RunOptions already built: make a new builder");
      }
      RunSetting slot = setting.slot();
      if (value == null) {
        values.remove(slot);
        return this;
      }
      if (!slot.type().isInstance(value)) {
        throw new IllegalArgumentException(
            setting + " takes a " + slot.type().getSimpleName() + ", not " + value.getClass());
      }
      values.put(slot, slot.isList() ? List.copyOf((List<?>) value) : value);
      return this;
    }

    /** Sets every setting in {@code given} (null values leave the default). */
    public Builder setAll(Map<RunSetting, ?> given) {
      given.forEach(this::set);
      return this;
    }

    public Builder source(Path file) {
      this.source = file;
      return this;
    }

    /** The source is a database Ferry staged in this invocation ({@link RunOptions#staged}). */
    public Builder staged(boolean staged) {
      this.staged = staged;
      return this;
    }

    public Builder workDir(Path dir) {
      this.workDir = dir;
      return this;
    }

    public Builder config(FerryConfig checked) {
      this.config = checked;
      return this;
    }

    public Builder target(String url) {
      return set(RunSetting.TARGET, url);
    }

    public Builder schema(String name) {
      return set(RunSetting.SCHEMA, name);
    }

    public Builder verify(Verifier.Mode mode) {
      return set(RunSetting.VERIFY, mode);
    }

    public Builder badValues(BadValuePolicy policy) {
      return set(RunSetting.ON_BAD_VALUE, policy);
    }

    public Builder dryRun(boolean dryRun) {
      return set(RunSetting.DRY_RUN, dryRun);
    }

    public Builder backup(boolean backup) {
      return set(RunSetting.BACKUP, backup);
    }

    public Builder chunkRows(long rows) {
      return set(RunSetting.CHUNK_ROWS, rows);
    }

    public Builder report(Path file) {
      return set(RunSetting.REPORT, file);
    }

    /** Every setting checked once, defaults filled in; the builder is sealed afterwards. */
    public RunOptions build() {
      if (source == null) {
        throw new FerryException(
            ErrorCode.USAGE, "name the SQLite file to migrate: ferry migrate SOURCE.db");
      }
      Map<RunSetting, Object> all = new EnumMap<>(RunSetting.class);
      for (RunSetting s : RunSetting.values()) {
        if (s.slot() == s) {
          Object v = values.containsKey(s) ? values.get(s) : s.defaultValue();
          s.check(v);
          if (v != null) {
            all.put(s, v);
          }
        }
      }
      sealed = true;
      return new RunOptions(
          source,
          staged,
          workDir != null ? workDir : Paths.get("").toAbsolutePath(),
          config != null ? config : FerryConfig.none(),
          all);
    }
  }
}
