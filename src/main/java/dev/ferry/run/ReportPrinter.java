package dev.ferry.run;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

/** Prints the report as a table a person can read at a glance. */
final class ReportPrinter {
  private ReportPrinter() {}

  static void print(RunReport r, PrintStream out) {
    int w = Math.max(5, r.tables().stream().mapToInt(t -> t.source().length()).max().orElse(5));
    String row = "%-" + w + "s  %12s  %12s  %10s  %8s  %10s  %s%n";
    out.println();
    out.printf(
        Locale.ROOT,
        row,
        "table",
        "rows read",
        "rows written",
        "bytes",
        "seconds",
        "rows/s",
        "verdict");
    for (TableResult t : r.tables()) {
      out.printf(
          Locale.ROOT,
          row,
          t.source(),
          String.format(Locale.ROOT, "%,d", t.rowsRead()),
          String.format(Locale.ROOT, "%,d", t.rowsWritten()),
          bytes(t.bytes()),
          String.format(Locale.ROOT, "%.2f", t.seconds()),
          String.format(Locale.ROOT, "%,.0f", t.rowsPerSecond()),
          t.verdict());
    }
    double rate = r.seconds() > 0 ? r.rowsRead() / r.seconds() : 0;
    out.printf(
        Locale.ROOT,
        row,
        "total",
        String.format(Locale.ROOT, "%,d", r.rowsRead()),
        String.format(Locale.ROOT, "%,d", r.rowsWritten()),
        bytes(r.bytes()),
        String.format(Locale.ROOT, "%.2f", r.seconds()),
        String.format(Locale.ROOT, "%,.0f", rate),
        "");
    if (!r.phases().isEmpty()) {
      StringBuilder p = new StringBuilder("time:");
      r.phases().forEach((k, v) -> p.append(String.format(Locale.ROOT, " %s %.2f s,", k, v)));
      out.println(
          p.substring(0, p.length() - 1)
              + " (plan chooses the types: big tables from a sample, every value checked as it loads;"
              + " keys are foreign keys and views, while the checksums run alongside them with"
              + " --jobs above 1: verify is what was left to wait for)");
    }
    mappings(r, out);
    List<String> notes = new java.util.ArrayList<>(r.notes());
    r.tables().forEach(t -> notes.addAll(t.notes()));
    if (!notes.isEmpty()) {
      out.println();
      out.println("Not carried exactly (" + notes.size() + "):");
      notes.forEach(n -> out.println("  - " + n));
    }
    out.println();
    out.println(r.message());
  }

  /** What each mapped table's values went through: columns, transforms, constants, dropped. */
  private static void mappings(RunReport r, PrintStream out) {
    List<TableResult> mapped = r.tables().stream().filter(t -> t.mapping() != null).toList();
    if (mapped.isEmpty()) {
      return;
    }
    out.println();
    out.println("Mapped into your tables (ferry.yaml map:):");
    for (TableResult t : mapped) {
      out.println("  " + t.source() + " → " + t.mapping().into());
      t.mapping().lines().forEach(l -> out.println("    " + l));
    }
  }

  static String bytes(long b) {
    if (b < 1024) {
      return b + " B";
    }
    String[] units = {"kB", "MB", "GB", "TB"};
    double v = b;
    int u = -1;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
  }
}
