package dev.ferry.plan;

import java.util.List;

/**
 * What the user asked for that shapes the plan.
 *
 * @param schema target schema
 * @param only table name patterns to include (glob: * and ?); empty means all
 * @param exclude table name patterns to leave out
 * @param keepCase keep names' letter case instead of lower-casing ASCII letters
 * @param jobs tables profiled in parallel
 * @param casts column types chosen by the user (ferry.yaml)
 * @param priority the priority (P0, P1, P2) of a table, by its source name
 * @param onlyPriority move only tables of this priority, or null for all
 */
public record PlanOptions(
    String schema,
    List<String> only,
    List<String> exclude,
    boolean keepCase,
    int jobs,
    List<Cast> casts,
    java.util.function.Function<String, String> priority,
    String onlyPriority,
    List<ExtraIndex> indexes,
    String textSearch) {
  /** The priority of a table ferry.yaml does not name. */
  public static final String DEFAULT_PRIORITY = "P1";

  /** Defaults: schema public, every table, lower-case names, one job per core. */
  public static PlanOptions defaults() {
    return new PlanOptions(
        "public",
        List.of(),
        List.of(),
        false,
        Runtime.getRuntime().availableProcessors(),
        List.of(),
        table -> DEFAULT_PRIORITY,
        null,
        List.of(),
        "simple");
  }

  boolean includes(String table) {
    boolean in = only.isEmpty() || only.stream().anyMatch(p -> glob(p, table));
    return in
        && exclude.stream().noneMatch(p -> glob(p, table))
        && (onlyPriority == null || priority.apply(table).equals(onlyPriority));
  }

  static boolean glob(String pattern, String name) {
    StringBuilder re = new StringBuilder();
    for (int i = 0; i < pattern.length(); i++) {
      char c = pattern.charAt(i);
      switch (c) {
        case '*' -> re.append(".*");
        case '?' -> re.append('.');
        default -> re.append(java.util.regex.Pattern.quote(String.valueOf(c)));
      }
    }
    return java.util.regex.Pattern.compile(re.toString(), java.util.regex.Pattern.CASE_INSENSITIVE)
        .matcher(name)
        .matches();
  }
}
