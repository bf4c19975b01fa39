package dev.ferry.run;

import dev.ferry.load.LoadResult;
import dev.ferry.load.PostgresTarget;
import dev.ferry.plan.TablePlan;
import dev.ferry.source.sqlite.SqliteSource;
import dev.ferry.value.BadValuePolicy;
import dev.ferry.value.TableChecksum;
import dev.ferry.verify.Verifier;
import java.util.ArrayList;
import java.util.List;

/**
 * Verification of one table against its source, shared by {@code ferry migrate} (right after the
 * load, {@link #afterLoad}) and {@code ferry verify} (later, {@link #recheck}): counts always; with
 * checksum or full, the source's checksum against the one PostgreSQL computes over what it stored;
 * with full, or after a checksum mismatch, a row-by-row comparison naming the keys that differ.
 */
final class TableVerification {
  /**
   * The outcome for one table.
   *
   * @param ok the target holds the source's rows
   * @param verdict VERIFIED, VERIFIED (count), VERIFIED (rows), MISMATCH or MISSING
   * @param sourceRows rows on the source side (-1 when not read)
   * @param inTarget rows counted in the target (-1 when the table is missing)
   * @param notes what differs, and how
   */
  record Verdict(boolean ok, String verdict, long sourceRows, long inTarget, List<String> notes) {
    /** The same verdict with the rows counted in the target by the load's own count. */
    Verdict counted(long rows) {
      return new Verdict(ok, verdict, sourceRows, rows, notes);
    }
  }

  private final SqliteSource source;
  private final PostgresTarget target;
  private final Verifier.Mode mode;
  private final BadValuePolicy policy;

  TableVerification(
      SqliteSource source, PostgresTarget target, Verifier.Mode mode, BadValuePolicy policy) {
    this.source = source;
    this.target = target;
    this.mode = mode;
    this.policy = policy;
  }

  /**
   * After a load: rows read − rows set aside = rows COPY stored = rows counted (plus the rows there
   * before, with --if-exists append), then the values. {@code sourceSide} is the checksum computed
   * while loading, or null to read the source again.
   */
  Verdict afterLoad(TablePlan t, LoadResult r, TableChecksum sourceSide, boolean appending) {
    List<String> notes = new ArrayList<>();
    TableChecksum here = sourceSide;
    if (mode != Verifier.Mode.COUNT
        && here == null
        && r.rowsBefore() == 0
        && !appending) { // not computed while loading: read the source
      here = Verifier.checksum(source, t, policy);
    }
    // with a checksum to compare, its query counts the rows too: one read of the table, not two
    TableChecksum there =
        mode != Verifier.Mode.COUNT && here != null ? Verifier.checksum(target, t) : null;
    long inTarget = there != null ? there.rows() : target.count(t.qualified());
    long loadable = r.rowsRead() - r.setAside();
    long expected = r.rowsBefore() + loadable;
    boolean ok = inTarget == expected && r.rowsWritten() == loadable;
    if (!ok) {
      notes.add(
          String.format(
              "row count mismatch: read %,d, set aside %,d, COPY stored %,d, target holds %,d (expected %,d)",
              r.rowsRead(), r.setAside(), r.rowsWritten(), inTarget, expected));
    }
    if (r.fixed() > 0) {
      notes.add(String.format("%,d values loaded repaired; originals in ferry.fixups", r.fixed()));
    }
    if (r.setAside() > 0) {
      notes.add(String.format("%,d rows set aside; originals in ferry.rejects", r.setAside()));
    }
    if (mode == Verifier.Mode.COUNT) {
      return new Verdict(ok, "VERIFIED (count)", r.rowsRead(), inTarget, notes);
    }
    if (here == null) {
      notes.add(
          "checksum not compared: the table held rows before this run (--if-exists append); counts compared");
      return new Verdict(ok, "VERIFIED (count)", r.rowsRead(), inTarget, notes);
    }
    return values(t, here, there, ok, notes).counted(inTarget);
  }

  /** Later, without loading: the source read again and compared with what the target holds. */
  Verdict recheck(TablePlan t, boolean present) {
    if (!present) {
      return new Verdict(
          false,
          "MISSING",
          -1,
          -1,
          List.of("table " + t.qualified() + " does not exist in the target"));
    }
    return values(
        t,
        Verifier.checksum(source, t, policy),
        Verifier.checksum(target, t),
        true,
        new ArrayList<>());
  }

  /** The checksums on both sides, then rows by key when asked for or when they differ. */
  private Verdict values(
      TablePlan t, TableChecksum here, TableChecksum there, boolean countsOk, List<String> notes) {
    boolean same = there.equals(here);
    if (!same && countsOk) {
      notes.add(
          here.rows() != there.rows()
              ? String.format(
                  "row count mismatch: source %,d, target %,d", here.rows(), there.rows())
              : "checksum mismatch: the rows' values differ between source and target");
    }
    boolean ok = countsOk && same;
    if (!same || mode == Verifier.Mode.FULL) {
      Verifier.Differences d = Verifier.compareRows(source, target, t, policy);
      if (d.count() > 0) {
        ok = false;
        notes.add(String.format("%,d rows differ%s", d.count(), d.keys().isEmpty() ? "" : ":"));
        d.keys().forEach(k -> notes.add("  " + k));
      }
    }
    String verdict = !ok ? "MISMATCH" : mode == Verifier.Mode.FULL ? "VERIFIED (rows)" : "VERIFIED";
    return new Verdict(ok, verdict, here.rows(), there.rows(), notes);
  }
}
