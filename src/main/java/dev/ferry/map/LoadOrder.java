package dev.ferry.map;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The order mapped tables load in: a table whose foreign key references the target of another
 * mapped table loads after it (parents before children), else in map: order. Tables that reference
 * each other in a cycle form one group, loaded in one transaction with their constraints deferred
 * to the commit; that needs every foreign key of the cycle to be DEFERRABLE, otherwise the cycle is
 * a problem reported at start (nothing loaded). A table that references itself is no cycle: its
 * rows go in with one INSERT, checked at the end of it.
 */
final class LoadOrder {
  private final List<MappedTable> tables;
  private final boolean[][] reaches;
  private final List<String> problems = new ArrayList<>();

  private LoadOrder(List<MappedTable> tables) {
    this.tables = tables;
    int n = tables.size();
    reaches = new boolean[n][n];
    for (int child = 0; child < n; child++) {
      for (int parent = 0; parent < n; parent++) {
        reaches[parent][child] = !edges(tables.get(parent), tables.get(child)).isEmpty();
      }
    }
    for (int k = 0; k < n; k++) {
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++) {
          reaches[i][j] |= reaches[i][k] && reaches[k][j];
        }
      }
    }
  }

  /**
   * The groups to load, in order: one table each, or the tables of one cycle. {@code problems}
   * receives a line for each cycle that cannot be loaded (a constraint not DEFERRABLE).
   */
  static List<List<MappedTable>> groups(List<MappedTable> tables, List<String> problems) {
    LoadOrder order = new LoadOrder(tables);
    List<List<MappedTable>> out = order.sorted();
    problems.addAll(order.problems);
    return out;
  }

  private List<List<MappedTable>> sorted() {
    int n = tables.size();
    List<List<MappedTable>> out = new ArrayList<>();
    Set<Integer> emitted = new LinkedHashSet<>();
    while (emitted.size() < n) {
      for (int i = 0; i < n; i++) {
        if (emitted.contains(i)) {
          continue;
        }
        Set<Integer> group = cycleOf(i);
        if (parentsOutside(group).stream().allMatch(emitted::contains)) {
          emitted.addAll(group);
          out.add(group.stream().map(tables::get).toList());
          if (group.size() > 1) {
            checkDeferrable(group);
          }
          break;
        }
      }
    }
    return out;
  }

  /** {@code i} and the tables on a cycle with it, in map: order. */
  private Set<Integer> cycleOf(int i) {
    Set<Integer> group = new LinkedHashSet<>();
    for (int j = 0; j < tables.size(); j++) {
      if (j == i || (reaches[i][j] && reaches[j][i])) {
        group.add(j);
      }
    }
    return group;
  }

  private Set<Integer> parentsOutside(Set<Integer> group) {
    Set<Integer> out = new LinkedHashSet<>();
    for (int child : group) {
      for (int parent = 0; parent < tables.size(); parent++) {
        if (!group.contains(parent) && reaches[parent][child]) {
          out.add(parent);
        }
      }
    }
    return out;
  }

  private void checkDeferrable(Set<Integer> group) {
    List<String> names = new ArrayList<>();
    List<String> fixed = new ArrayList<>();
    for (int child : group) {
      names.add(tables.get(child).source().name());
      for (int parent : group) {
        for (ForeignKey fk : edges(tables.get(parent), tables.get(child))) {
          if (!fk.deferrable()) {
            fixed.add(
                "ALTER TABLE "
                    + tables.get(child).target().qualified()
                    + " ALTER CONSTRAINT "
                    + dev.ferry.sql.SqlText.ident(fk.name())
                    + " DEFERRABLE;");
          }
        }
      }
    }
    if (!fixed.isEmpty()) {
      problems.add(
          "map: "
              + String.join(", ", names)
              + " go into tables that reference each other in a cycle, so no order loads parents"
              + " before children; Ferry loads such tables in one transaction with the foreign"
              + " keys checked at commit, which needs them DEFERRABLE: "
              + String.join(" ", new LinkedHashSet<>(fixed))
              + " (or map one side in a later run)");
    }
  }

  /**
   * The foreign keys of {@code child}'s target that reference {@code parent}'s target and that
   * {@code child}'s mapping fills (a column of the key written); none when both are one table.
   */
  static List<ForeignKey> edges(MappedTable parent, MappedTable child) {
    String parentTable = parent.target().display().toLowerCase(Locale.ROOT);
    if (parentTable.equals(child.target().display().toLowerCase(Locale.ROOT))) {
      return List.of();
    }
    return child.target().foreignKeys().stream()
        .filter(fk -> fk.parentDisplay().toLowerCase(Locale.ROOT).equals(parentTable))
        .filter(fk -> fk.columns().stream().anyMatch(child::writes))
        .toList();
  }
}
