package dev.ferry.run;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.config.FerryConfig;
import dev.ferry.load.IfExists;
import dev.ferry.postgres.TargetUrl;
import dev.ferry.value.BadValuePolicy;
import dev.ferry.verify.Verifier;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Every setting of a run, defined once (as pgjdbc's {@code PGProperty} defines a connection
 * property): its flag, parameter label and help text (the command line is generated from them), how
 * its text is read, its default, how it is checked, and the key under which ferry.runs.options
 * records it. {@link RunOptions} holds one value per setting; the command line, the tests and every
 * other caller build it through {@link RunOptions#builder()}.
 */
public enum RunSetting {
  TARGET(
      def("--target", "URL", String.class)
          .help(
              "postgresql://user:pass@host:port/db or jdbc:postgresql://…; default: DATABASE_URL,"
                  + " PG* variables, else the embedded server in .ferry/pg")
          .parse(s -> s)
          .check(v -> TargetUrl.parse((String) v))),
  SCHEMA(
      def("--schema", "<schema>", String.class)
          .help("target schema (default: ${DEFAULT-VALUE})")
          .cliDefault("public")
          .parse(s -> s)
          .check(RunSetting::checkSchema)),
  CONFIG(
      def("--config", "ferry.yaml", Path.class)
          .help("per-column casts (casts: {table.column: type}), checked at start")
          .parse(Path::of)),
  IF_EXISTS(
      def("--if-exists", "fail|drop|truncate|append", IfExists.class)
          .help(
              "when a target table exists: fail before changing anything (default), drop it,"
                  + " truncate it, or append to it")
          .cliDefault("fail")
          .parse(s -> choice(IfExists.class, s))
          .record("if_exists")),
  ONLY(
      def("--only", "PATTERN", List.class)
          .help("only tables matching these patterns (* and ?)")
          .record("only")),
  EXCLUDE(
      def("--exclude", "PATTERN", List.class)
          .help("leave out tables matching these patterns")
          .record("exclude")),
  JOBS(
      def("--jobs", "N", Integer.class)
          .help("tables loaded in parallel (default: the number of cores)")
          .defaultValue(RunOptions::defaultJobs)
          .parse(s -> number(s, Integer::valueOf, "int"))
          .check(
              v -> {
                int jobs = (Integer) v;
                if (jobs < 1 || jobs > RunOptions.MAX_JOBS) {
                  throw usage(
                      "--jobs " + jobs + " is out of range: use 1 to " + RunOptions.MAX_JOBS);
                }
              })
          .record("jobs")),
  DRY_RUN(def("--dry-run", null, Boolean.class).help("print the plan and the DDL; touch nothing")),
  KEEP_CASE(
      def("--keep-case", null, Boolean.class)
          .help(
              "keep names' letter case (default: lower-case ASCII letters, as unquoted SQL expects)")
          .record("keep_case")),
  BACKUP_DIR(
      def("--backup-dir", "DIR", Path.class)
          .help("where to keep the backup (DIR/RUN-ID; default .ferry/backups/RUN-ID)")
          .parse(Path::of)),
  /** On the command line as its negation, --no-backup. */
  BACKUP(
      def("--no-backup", null, Boolean.class)
          .help("read the source directly instead of a consistent backup copy, and keep no copy")
          .defaultValue(() -> true)
          .negated()
          .record("backup")),
  VERIFY(
      def("--verify", "count|checksum|full", Verifier.Mode.class)
          .help(
              "after the load compare row counts, counts and a checksum of every value (default),"
                  + " or every row by key, naming the rows that differ")
          .cliDefault("checksum")
          .parse(s -> choice(Verifier.Mode.class, s))
          .record("verify")),
  /** {@code ferry verify}'s --verify: the same setting, where counting alone means checksums. */
  RECHECK(
      def("--verify", "checksum|full", Verifier.Mode.class)
          .help("checksum (default) or full: every row compared by key")
          .cliDefault("checksum")
          .parse(
              s -> {
                Verifier.Mode m = choice(Verifier.Mode.class, s);
                return m == Verifier.Mode.COUNT ? Verifier.Mode.CHECKSUM : m;
              })
          .sameAs("VERIFY")),
  ON_BAD_VALUE(
      def("--on-bad-value", "fix|set-aside|fail", BadValuePolicy.class)
          .help(
              "a value PostgreSQL cannot hold as stored (NUL byte, invalid UTF-8, \\\\u0000 in"
                  + " JSON): load it repaired and keep the original in ferry.fixups (default), set"
                  + " its row aside in ferry.rejects, or fail")
          .cliDefault("fix")
          .parse(s -> choice(BadValuePolicy.class, s))
          .record("on_bad_value")),
  PRIORITY(
      def("--priority", "P0|P1|P2", String.class)
          .help(
              "move only sources and tables of this priority (ferry.yaml priorities:; unnamed is"
                  + " P1)")
          .parse(s -> s.toUpperCase(Locale.ROOT))
          .check(
              v -> {
                if (!FerryConfig.LEVELS.contains((String) v)) {
                  throw usage("--priority " + v + ": use P0, P1 or P2");
                }
              })),
  RESUME(
      def("--resume", null, Boolean.class)
          .help(
              "continue the interrupted run of this source (a plain re-run does too); fail if"
                  + " there is none")),
  CHUNK_ROWS(
      def("--chunk-rows", "N", Long.class)
          .help(
              "a big table loads in chunks of about N rows, each committed with a checkpoint that"
                  + " an interrupted run resumes from (default ${DEFAULT-VALUE}; 0: whole tables)")
          .cliDefault("1000000")
          .parse(s -> number(s, Long::valueOf, "long"))
          .check(
              v -> {
                if ((Long) v < 0) {
                  throw usage("--chunk-rows " + v + ": use 0 (whole tables) or more");
                }
              })),
  PROFILE(
      def("--profile", "sample|full", dev.ferry.plan.Sampling.class)
          .help(
              "sample (default): the types of big tables are chosen from a sample and every value"
                  + " is checked while it loads (a table with a value that does not fit is"
                  + " profiled in full and loaded again, so the types are the same); full: read"
                  + " every value before choosing any type")
          .cliDefault("sample")
          .parse(
              s -> {
                dev.ferry.plan.Sampling sampling = dev.ferry.plan.Sampling.parse(s);
                if (sampling == null) {
                  throw usage("'" + s + "' is not one of sample, full");
                }
                return sampling;
              })),
  KEEP_BACKUPS(
      def("--keep-backups", "DAYS", Long.class)
          .help(
              "backup copies older than DAYS are removed when a migration starts, never a"
                  + " resumable run's (default: FERRY_BACKUP_KEEP_DAYS, else 7)")
          .parse(s -> number(s, Long::valueOf, "long"))
          .check(
              v -> {
                if ((Long) v < 0 || (Long) v > 36_500) {
                  throw usage("--keep-backups " + v + ": give whole days, 0 to 36500");
                }
              })),
  REPORT(
      def("--report", "FILE.json", Path.class)
          .help("also write the report as JSON")
          .parse(Path::of));

  private static final Pattern SCHEMA_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_$]{0,62}");

  @SuppressWarnings(
      "ImmutableEnumChecker") // built once in the constant's initializer, never changed
  private final Def def;

  RunSetting(Def def) {
    this.def = def;
  }

  /** The flag on the command line (--no-backup for {@link #BACKUP}). */
  public String flag() {
    return def.flag;
  }

  /** The parameter's label in the help (null for a flag without a value). */
  public String label() {
    return def.label;
  }

  /** The help text; {@code ${DEFAULT-VALUE}} stands for {@link #cliDefault()}. */
  public String help() {
    return def.help;
  }

  /** The default as the command line shows and parses it, or null when none is shown. */
  public String cliDefault() {
    return def.cliDefault;
  }

  /** The type of the value: Boolean, Integer, Long, String, Path, List of String or an enum. */
  public Class<?> type() {
    return def.type;
  }

  /** True for a flag whose presence means false (--no-backup). */
  public boolean negated() {
    return def.negated;
  }

  /** True for a comma-separated list that may be given several times. */
  public boolean isList() {
    return def.type == List.class;
  }

  /** The setting whose value this one sets (RECHECK sets VERIFY); itself for most. */
  public RunSetting slot() {
    return def.sameAs == null ? this : valueOf(def.sameAs);
  }

  /** The value of one command-line word, or a usage error that says what is accepted. */
  public Object parse(String text) {
    return def.parse.apply(text);
  }

  /** The value when none is given. */
  Object defaultValue() {
    if (def.defaultValue != null) {
      return def.defaultValue.get();
    }
    if (def.cliDefault != null) {
      return parse(def.cliDefault);
    }
    if (def.type == Boolean.class) {
      return false;
    }
    return def.type == List.class ? List.of() : null;
  }

  /** Throws a usage error when {@code value} is not acceptable. */
  void check(Object value) {
    if (value != null && def.check != null) {
      def.check.accept(value);
    }
  }

  /** The key in ferry.runs.options, or null when the setting is not recorded. */
  String recordKey() {
    return def.recordKey;
  }

  /** The value as ferry.runs.options records it: enums by their command-line word. */
  static Object recorded(Object value) {
    return value instanceof Enum<?> e ? word(e) : value;
  }

  private static String word(Enum<?> e) {
    return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  private static <E extends Enum<E>> E choice(Class<E> type, String text) {
    try {
      return Enum.valueOf(type, text.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
    } catch (IllegalArgumentException e) {
      throw usage(
          "'"
              + text
              + "' is not one of "
              + Arrays.stream(type.getEnumConstants())
                  .map(RunSetting::word)
                  .collect(Collectors.joining(", ")));
    }
  }

  private static Object number(String text, Function<String, Object> read, String kind) {
    try {
      return read.apply(text.trim());
    } catch (NumberFormatException e) {
      throw usage("'" + text + "' is not an " + kind);
    }
  }

  private static void checkSchema(Object value) {
    String schema = (String) value;
    if (!SCHEMA_NAME.matcher(schema).matches()) {
      throw usage(
          "--schema '"
              + schema
              + "' is not a plain PostgreSQL name: use letters, digits and _, at most 63");
    }
    if ("ferry".equals(schema)) {
      throw usage("--schema ferry is Ferry's own metadata schema: choose another name");
    }
  }

  private static FerryException usage(String message) {
    return new FerryException(ErrorCode.USAGE, message);
  }

  private static Def def(String flag, String label, Class<?> type) {
    return new Def(flag, label, type);
  }

  /** One setting's definition, written fluently above. */
  private static final class Def {
    final String flag;
    final String label;
    final Class<?> type;
    String help = "";
    String cliDefault;
    Supplier<Object> defaultValue;
    Function<String, Object> parse = s -> s;
    Consumer<Object> check;
    String recordKey;
    boolean negated;
    String sameAs;

    Def(String flag, String label, Class<?> type) {
      this.flag = flag;
      this.label = label;
      this.type = type;
      if (type == Boolean.class) {
        parse = Boolean::valueOf;
      }
    }

    Def help(String text) {
      help = text;
      return this;
    }

    Def cliDefault(String text) {
      cliDefault = text;
      return this;
    }

    Def defaultValue(Supplier<Object> value) {
      defaultValue = value;
      return this;
    }

    Def parse(Function<String, Object> reader) {
      parse = reader;
      return this;
    }

    Def check(Consumer<Object> checker) {
      check = checker;
      return this;
    }

    Def record(String key) {
      recordKey = key;
      return this;
    }

    Def negated() {
      negated = true;
      return this;
    }

    Def sameAs(String setting) {
      sameAs = setting;
      return this;
    }
  }
}
