package dev.ferry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package map is a rule, not a description. Ferry's packages follow the pipeline
 *
 * <pre>
 *   source (Source; sqlite, files) → plan → load → verify → run → serve → cli
 * </pre>
 *
 * and a package may use only what comes before it. {@link #MAY_USE} is that rule, one row per
 * package: what it may import (besides itself, the JDK and third-party libraries). Every main
 * source file's package, imports and fully qualified names ({@code dev.ferry.x.Y} written in code)
 * are read and checked against it. A new package needs a row here, and docs/ARCHITECTURE.md a
 * paragraph saying the same.
 */
class ArchitectureTest {
  private static final String ROOT = "dev.ferry";

  /** Shared at the bottom: the error model, value rules and SQL text every stage uses. */
  private static final Set<String> BASE = Set.of(ROOT, "value", "sql");

  /** Everything a migration is made of: what run, sync and the commands put together. */
  private static final Set<String> PIPELINE =
      union(
          BASE,
          "postgres",
          "postgres.embedded",
          "source",
          "source.sqlite",
          "source.files",
          "plan",
          "config",
          "load",
          "verify",
          "map");

  /** The rule: each package (short name, "dev.ferry" for the root) and the packages it may use. */
  static final Map<String, Set<String>> MAY_USE = new LinkedHashMap<>();

  static {
    // the error model (FerryException, ErrorCode): used by all, uses nothing
    MAY_USE.put(ROOT, Set.of());
    // canonical value rules, checksum and bad-value policy; SQL text and the SQLite tokenizer
    MAY_USE.put("value", Set.of(ROOT));
    MAY_USE.put("sql", Set.of(ROOT));
    // PostgreSQL connection pieces: the target URL, SQL-state classification, embedded server
    MAY_USE.put("postgres", Set.of(ROOT, "sql"));
    MAY_USE.put("postgres.embedded", Set.of(ROOT, "postgres"));
    // the source model and the Source interface; its implementations know nothing of each other
    MAY_USE.put("source", union(BASE));
    MAY_USE.put("source.sqlite", union(BASE, "source"));
    MAY_USE.put("source.files", union(BASE, "source"));
    // plan, load and verify see a source only through the Source interface
    MAY_USE.put("plan", union(BASE, "source"));
    MAY_USE.put("load", union(BASE, "source", "plan", "postgres"));
    MAY_USE.put("verify", union(BASE, "source", "plan", "load", "postgres"));
    // loading into the user's own tables: mapping model, target catalog, mapped load and verify
    MAY_USE.put("map", union(BASE, "source", "postgres"));
    // ferry maintain: retention in audited batches, ANALYZE/VACUUM, the index and bloat report
    MAY_USE.put("maintain", union(BASE, "postgres", "audit"));
    // ferry.yaml, read into the options of the stages it configures
    MAY_USE.put("config", union(BASE, "plan", "source.files", "map", "maintain"));
    // orchestration: migrate, verify, inspect, plan, runs, rollback; live sync builds on it
    MAY_USE.put("run", PIPELINE);
    MAY_USE.put("sync", union(PIPELINE, "run"));
    // ferry.audit: writes to the user's tables recorded with their old values, and their undo
    MAY_USE.put("audit", union(BASE, "postgres"));
    // the explorer reads what run recorded; it never loads; its write mode writes through audit
    MAY_USE.put("serve", union(BASE, "postgres", "postgres.embedded", "run", "audit"));
    // example data generators
    MAY_USE.put("examples", union(BASE));
    // the commands put everything together: nothing uses them
    MAY_USE.put(
        "cli",
        union(
            PIPELINE,
            "run",
            "sync",
            "serve",
            "examples",
            "postgres.embedded",
            "maintain",
            "audit"));
  }

  private static final Pattern PACKAGE =
      Pattern.compile("^package\\s+([\\w.]+)\\s*;", Pattern.MULTILINE);

  /** An import (static too) or a qualified name in code: the package is up to the first Type. */
  private static final Pattern REFERENCE =
      Pattern.compile("\\bdev\\.ferry((?:\\.[a-z][a-z0-9_]*)*)\\.[A-Z]");

  private static Map<String, Set<String>> uses;
  private static Map<String, Set<String>> evidence;

  @BeforeAll
  static void readSources() throws IOException {
    uses = new TreeMap<>();
    evidence = new TreeMap<>();
    try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
        read(f);
      }
    }
  }

  private static void read(Path file) {
    String code;
    try {
      code = withoutCommentsAndStrings(Files.readString(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Matcher p = PACKAGE.matcher(code);
    assertTrue(p.find(), file + " declares no package");
    String from = shortName(p.group(1));
    uses.computeIfAbsent(from, k -> new TreeSet<>());
    Matcher m = REFERENCE.matcher(code);
    while (m.find()) {
      String to = shortName(ROOT + m.group(1));
      if (!to.equals(from)) {
        uses.get(from).add(to);
        evidence.computeIfAbsent(from + " -> " + to, k -> new TreeSet<>()).add(file.toString());
      }
    }
  }

  @Test
  void everyPackageHasARowInTheRule() {
    Set<String> missing = new TreeSet<>(uses.keySet());
    missing.removeAll(MAY_USE.keySet());
    assertTrue(
        missing.isEmpty(),
        "packages without a row in ArchitectureTest.MAY_USE (add one, and a paragraph to"
            + " docs/ARCHITECTURE.md): "
            + missing);
  }

  @Test
  void everyImportIsAllowedByThePackageMap() {
    List<String> broken = new ArrayList<>();
    uses.forEach(
        (from, targets) -> {
          for (String to : targets) {
            if (MAY_USE.containsKey(from) && !MAY_USE.get(from).contains(to)) {
              broken.add(from + " -> " + to + " in " + evidence.get(from + " -> " + to));
            }
          }
        });
    assertEquals(List.of(), broken, "dependencies the package map does not allow");
  }

  @Test
  void theRuleItselfHasNoCycles() {
    assertEquals(List.of(), cycles(MAY_USE), "the package map must be a pipeline, not a web");
  }

  @Test
  void noPackageCycles() {
    assertEquals(List.of(), cycles(uses), "packages that depend on each other");
  }

  @Test
  void planLoadAndVerifyReadSourcesOnlyThroughTheSourceInterface() {
    for (String stage : List.of("plan", "load", "verify")) {
      Set<String> used = uses.getOrDefault(stage, Set.of());
      assertTrue(
          !used.contains("source.sqlite") && !used.contains("source.files"),
          stage + " imports a concrete source: " + used);
    }
  }

  @Test
  void nothingButCliUsesCli() {
    uses.forEach(
        (from, to) ->
            assertTrue(from.equals("cli") || !to.contains("cli"), from + " imports dev.ferry.cli"));
  }

  @Test
  void nothingButCliUsesServe() {
    uses.forEach(
        (from, to) ->
            assertTrue(
                from.equals("cli") || from.equals("serve") || !to.contains("serve"),
                from + " imports dev.ferry.serve"));
  }

  @Test
  void thePipelineDoesNotReachForward() {
    List<String> order = List.of("source", "plan", "load", "verify", "run", "serve", "cli");
    for (int i = 0; i < order.size(); i++) {
      for (int j = i + 1; j < order.size(); j++) {
        String early = order.get(i);
        String late = order.get(j);
        for (var e : uses.entrySet()) {
          if (e.getKey().equals(early) || e.getKey().startsWith(early + ".")) {
            assertTrue(
                e.getValue().stream().noneMatch(t -> t.equals(late) || t.startsWith(late + ".")),
                e.getKey() + " imports " + late + ", which comes after it: " + e.getValue());
          }
        }
      }
    }
  }

  /** The cycles of a dependency graph, each as "a -> b -> a"; none in a pipeline. */
  static List<String> cycles(Map<String, Set<String>> graph) {
    List<String> found = new ArrayList<>();
    Map<String, Integer> state = new TreeMap<>(); // 1 on the path, 2 done
    for (String start : graph.keySet()) {
      walk(start, graph, state, new ArrayList<>(), found);
    }
    return found;
  }

  private static void walk(
      String node,
      Map<String, Set<String>> graph,
      Map<String, Integer> state,
      List<String> path,
      List<String> found) {
    Integer s = state.get(node);
    if (s != null && s == 2) {
      return;
    }
    if (s != null) {
      found.add(String.join(" -> ", path.subList(path.indexOf(node), path.size())) + " -> " + node);
      return;
    }
    state.put(node, 1);
    path.add(node);
    for (String next : graph.getOrDefault(node, Set.of())) {
      if (!next.equals(node)) {
        walk(next, graph, state, path, found);
      }
    }
    path.remove(path.size() - 1);
    state.put(node, 2);
  }

  @Test
  void cycleFinderFindsACycle() {
    Map<String, Set<String>> g = new TreeMap<>();
    g.put("a", Set.of("b"));
    g.put("b", Set.of("c"));
    g.put("c", Set.of("a"));
    g.put("d", Set.of("a"));
    assertEquals(List.of("a -> b -> c -> a"), cycles(g));
  }

  private static String shortName(String pkg) {
    return pkg.equals(ROOT) ? ROOT : pkg.substring(ROOT.length() + 1);
  }

  private static Set<String> union(Set<String> base, String... more) {
    Set<String> all = new TreeSet<>(base);
    all.addAll(List.of(more));
    return Set.copyOf(all);
  }

  /** The code with comments, string and character literals blanked, so only code is matched. */
  static String withoutCommentsAndStrings(String src) {
    StringBuilder out = new StringBuilder(src.length());
    int i = 0;
    while (i < src.length()) {
      int end;
      if (src.startsWith("//", i)) {
        end = src.indexOf('\n', i);
        end = end < 0 ? src.length() : end;
      } else if (src.startsWith("/*", i)) {
        end = src.indexOf("*/", i + 2) + 2;
      } else if (src.startsWith("\"\"\"", i)) {
        end = src.indexOf("\"\"\"", i + 3) + 3;
      } else if (src.charAt(i) == '"' || src.charAt(i) == '\'') {
        char q = src.charAt(i);
        end = i + 1;
        while (src.charAt(end) != q) {
          end += src.charAt(end) == '\\' ? 2 : 1;
        }
        end++;
      } else {
        out.append(src.charAt(i++));
        continue;
      }
      for (int k = i; k < end; k++) {
        out.append(src.charAt(k) == '\n' ? '\n' : ' ');
      }
      i = end;
    }
    return out.toString();
  }
}
