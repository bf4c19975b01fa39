package dev.ferry.maintain;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.ErrorCode;
import java.io.PrintStream;
import java.util.List;

/**
 * What {@code ferry maintain} did: per retention rule the rows deleted, in how many batches and
 * under which ferry.audit entries; per table whether it was analyzed or vacuumed and why; the
 * findings with the SQL that would fix them. Printed for people or as JSON for scripts.
 */
public final class MaintenanceReport {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final boolean dryRun;
  private final List<RuleOutcome> rules;
  private final List<TableUpkeep.Action> tables;
  private final List<Findings.Finding> findings;

  MaintenanceReport(
      boolean dryRun,
      List<RuleOutcome> rules,
      List<TableUpkeep.Action> tables,
      List<Findings.Finding> findings) {
    this.dryRun = dryRun;
    this.rules = List.copyOf(rules);
    this.tables = List.copyOf(tables);
    this.findings = List.copyOf(findings);
  }

  /** Rows deleted (in a dry run: that would be) over all rules. */
  public long rowsDeleted() {
    return rules.stream().mapToLong(RuleOutcome::rows).sum();
  }

  /** Tables PostgreSQL skipped (this role does not own them). */
  public List<String> skipped() {
    return tables.stream()
        .filter(a -> a.skipped() != null)
        .map(a -> a.label() + ": " + a.skipped())
        .toList();
  }

  /**
   * 0 when everything it set out to do was done; USAGE's code (1) when PostgreSQL skipped a table
   * it was to analyze or vacuum (the role must own it): nothing skipped ends in success.
   */
  public int exitCode() {
    return skipped().isEmpty() ? 0 : ErrorCode.FORBIDDEN.exitCode();
  }

  public void printText(PrintStream out) {
    String would = dryRun ? "would be " : "";
    out.println(dryRun ? "Retention (dry run: nothing deleted):" : "Retention:");
    if (rules.isEmpty()) {
      out.println("  no rules (ferry.yaml's retention: names none)");
    }
    for (RuleOutcome r : rules) {
      out.printf(
          "  %s: %s (before %s): %,d rows %sdeleted in %d batch%s%s%n",
          r.target().label(),
          r.target().rule().describe(),
          r.cutoff().shown(),
          r.rows(),
          would,
          r.batches(),
          r.batches() == 1 ? "" : "es",
          r.auditIds().isEmpty() ? "" : ", audit " + RetentionSweep.joined(r.auditIds()));
    }
    out.println(dryRun ? "Statistics (dry run: nothing run):" : "Statistics:");
    if (tables.isEmpty()) {
      out.println("  every table's statistics are current; nothing to vacuum");
    }
    for (TableUpkeep.Action a : tables) {
      String did =
          (a.analyze() ? "analyzed" : "")
              + (a.analyze() && a.vacuum() ? ", " : "")
              + (a.vacuum() ? "vacuumed" : "");
      out.printf(
          "  %s: %s%s (%s)%s%n",
          a.label(),
          dryRun ? "would be " : "",
          did,
          String.join("; ", a.why()),
          a.skipped() == null ? "" : " SKIPPED by PostgreSQL: " + a.skipped());
    }
    out.println("Report:");
    if (findings.isEmpty()) {
      out.println("  no bloat, unused or missing indexes found");
    }
    for (Findings.Finding f : findings) {
      out.printf("  %s %s: %s%n    fix: %s%n", label(f.kind()), f.object(), f.detail(), f.fix());
    }
    long batches = rules.stream().mapToLong(RuleOutcome::batches).sum();
    out.printf(
        "%s: %,d rows %sdeleted in %d batches, %d tables %sanalyzed, %d %svacuumed, %d"
            + " finding%s (ferry runs none of their fixes)%s%n",
        dryRun ? "Dry run" : skipped().isEmpty() ? "Done" : "NOT all done",
        rowsDeleted(),
        would,
        batches,
        tables.stream().filter(TableUpkeep.Action::analyze).count(),
        would,
        tables.stream().filter(TableUpkeep.Action::vacuum).count(),
        would,
        findings.size(),
        findings.size() == 1 ? "" : "s",
        skipped().isEmpty()
            ? ""
            : "; " + skipped().size() + " tables skipped: the role running ferry must own them");
    if (!dryRun && rowsDeleted() > 0) {
      out.println(
          "Undo a batch: ferry maintain --undo AUDIT-ID (or POST /api/audit/AUDIT-ID/undo)");
    }
  }

  private static String label(String kind) {
    return switch (kind) {
      case "unused_index" -> "unused index";
      case "missing_index" -> "missing index";
      case "seq_scans" -> "sequential scans";
      default -> kind;
    };
  }

  public String json() {
    ObjectNode root = JSON.createObjectNode();
    root.put("dry_run", dryRun);
    root.put("rows_deleted", rowsDeleted());
    ArrayNode rs = root.putArray("retention");
    for (RuleOutcome r : rules) {
      ObjectNode o = rs.addObject();
      o.put("table", r.target().label());
      o.put("column", r.target().column());
      o.put("age", r.target().rule().age());
      o.put("cutoff", r.cutoff().value());
      o.put("time_zone", r.cutoff().zone());
      o.put("rows", r.rows());
      o.put("batches", r.batches());
      ArrayNode ids = o.putArray("audit_ids");
      r.auditIds().forEach(ids::add);
    }
    ArrayNode ts = root.putArray("tables");
    for (TableUpkeep.Action a : tables) {
      ObjectNode o = ts.addObject();
      o.put("table", a.label());
      o.put("analyze", a.analyze());
      o.put("vacuum", a.vacuum());
      ArrayNode why = o.putArray("why");
      a.why().forEach(why::add);
      o.put("done", !dryRun && a.skipped() == null);
      if (a.skipped() != null) {
        o.put("skipped", a.skipped());
      }
    }
    ArrayNode fs = root.putArray("findings");
    for (Findings.Finding f : findings) {
      ObjectNode o = fs.addObject();
      o.put("kind", f.kind());
      o.put("object", f.object());
      o.put("detail", f.detail());
      if (f.bytes() >= 0) {
        o.put("bytes", f.bytes());
      }
      o.put("fix", f.fix());
    }
    root.put("exit_code", exitCode());
    return root.toPrettyString();
  }
}
