package dev.ferry.map;

import dev.ferry.sql.SqlText;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Foreign keys checked before the rows reach the target: the converted rows of a mapped table wait
 * in the staging table ({@link MappedLoader#STAGE}), and for each foreign key of the target whose
 * columns the mapping writes, one anti-join removes the staged rows whose reference is in neither
 * the referenced table (its own rows and those this run already mapped into it) nor, for a table
 * that references itself, among the staged rows. A reference with a NULL column is not checked
 * (MATCH SIMPLE, PostgreSQL's default). So no INSERT fails on a foreign key, and each orphan is
 * named by its constraint, column and missing key.
 */
final class OrphanCheck {
  /** The staging table's column numbering the source rows read (the loader adds it). */
  static final String ROW = "ferry_row";

  /**
   * A staged row whose reference has no target.
   *
   * @param row its number among the source rows read (0 when the stage is not numbered)
   * @param reason the foreign key, the column and the missing key, for messages and ferry.rejects
   */
  record Orphan(long row, String reason) {}

  private OrphanCheck() {}

  /**
   * Removes the staged rows of {@code t} whose reference has no target and returns them. Foreign
   * keys referencing a table in {@code later} (loaded afterwards in the same transaction, checked
   * at its commit) are left to PostgreSQL. {@code numbered}: the stage has the {@link #ROW} column.
   */
  static List<Orphan> remove(Connection c, MappedTable t, Set<String> later, boolean numbered)
      throws SQLException {
    List<Orphan> out = new ArrayList<>();
    for (ForeignKey fk : t.target().foreignKeys()) {
      if (!fk.columns().stream().allMatch(t::writes)
          || later.contains(fk.parentDisplay().toLowerCase(Locale.ROOT))) {
        continue;
      }
      boolean self = fk.parentDisplay().equalsIgnoreCase(t.target().display());
      boolean again = true;
      while (again) { // a row of a table referencing itself may have referenced a removed one
        int before = out.size();
        delete(c, t, fk, self && fk.parentColumns().stream().allMatch(t::writes), numbered, out);
        again = self && out.size() > before;
      }
    }
    return out;
  }

  private static void delete(
      Connection c,
      MappedTable t,
      ForeignKey fk,
      boolean staged,
      boolean numbered,
      List<Orphan> out)
      throws SQLException {
    List<String> notNull = new ArrayList<>();
    List<String> inParent = new ArrayList<>();
    List<String> inStage = new ArrayList<>();
    List<String> keyText = new ArrayList<>();
    for (int i = 0; i < fk.columns().size(); i++) {
      String col = "s." + SqlText.ident(fk.columns().get(i));
      notNull.add(col + " IS NOT NULL");
      inParent.add("p." + SqlText.ident(fk.parentColumns().get(i)) + " = " + col);
      inStage.add("q." + SqlText.ident(fk.parentColumns().get(i)) + " = " + col);
      keyText.add(col + "::text");
    }
    String sql =
        "DELETE FROM "
            + MappedLoader.STAGE
            + " s WHERE "
            + String.join(" AND ", notNull)
            + " AND NOT EXISTS (SELECT 1 FROM "
            + fk.parentQualified()
            + " p WHERE "
            + String.join(" AND ", inParent)
            + ")"
            + (staged
                ? " AND NOT EXISTS (SELECT 1 FROM "
                    + MappedLoader.STAGE
                    + " q WHERE "
                    + String.join(" AND ", inStage)
                    + ")"
                : "")
            + " RETURNING "
            + (numbered ? "s." + ROW : "0")
            + ", concat_ws(', ', "
            + String.join(", ", keyText)
            + ")";
    String what = columnsNamed(t, fk);
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      while (rs.next()) {
        out.add(
            new Orphan(
                rs.getLong(1),
                what
                    + ": foreign key "
                    + fk.name()
                    + ": ("
                    + String.join(", ", fk.columns())
                    + ")=("
                    + rs.getString(2)
                    + ") is not in "
                    + fk.parentDisplay()
                    + ", nor among the rows this run maps into it"));
      }
    }
  }

  /** "column author → author_id" for each column of the key, as the mapping fills it. */
  private static String columnsNamed(MappedTable t, ForeignKey fk) {
    List<String> out = new ArrayList<>();
    for (String col : fk.columns()) {
      for (MappedColumn m : t.columns()) {
        if (m.target().name().equals(col)) {
          out.add(
              (m.source() != null ? "column " + m.source() : "constant " + m.constant())
                  + (col.equals(m.source()) ? "" : " → " + col));
        }
      }
    }
    return String.join(", ", out);
  }
}
