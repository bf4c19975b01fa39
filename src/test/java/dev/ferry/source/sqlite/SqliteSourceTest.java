package dev.ferry.source.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.source.RowCursor;
import dev.ferry.source.Source;
import dev.ferry.source.SourceTable;
import dev.ferry.testing.Sqlite;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SqliteSource hands every stored value over exactly as SQLite stores it (storage class and bytes,
 * invalid UTF-8 and NULs included), reads rowid ranges exactly, and names the file and what to do
 * when the file is missing, not a database or locked. The oracle is SQLite itself: typeof(), hex()
 * and the rowid, read through plain SQL.
 */
class SqliteSourceTest {
  @TempDir Path tmp;

  @Test
  void everyStorageClassComesBackAsStored() throws Exception {
    Path db = Sqlite.create(tmp.resolve("values.db"), "CREATE TABLE v (id INTEGER PRIMARY KEY, x)");
    List<String> literals =
        new ArrayList<>(
            List.of(
                "NULL",
                "0",
                "-9223372036854775808",
                "9223372036854775807",
                "0.0",
                "-0.0",
                "1e308",
                "-2.5e-308",
                "9e999", // +Infinity
                "''",
                "'plain'",
                "'é 😀'",
                "CAST(x'61ff62' AS TEXT)", // invalid UTF-8 kept as bytes
                "CAST(x'610062' AS TEXT)", // a NUL inside text
                "x''",
                "x'00ff10'",
                "zeroblob(3)"));
    Random random = new Random(1);
    for (int i = 0; i < 200; i++) {
      literals.add(
          switch (random.nextInt(4)) {
            case 0 -> Long.toString(random.nextLong());
            case 1 ->
                Double.toString(random.nextGaussian() * Math.pow(10, random.nextInt(40) - 20));
            case 2 -> "randomblob(" + random.nextInt(40) + ")";
            default -> "CAST(randomblob(" + random.nextInt(40) + ") AS TEXT)";
          });
    }
    try (Connection c = Sqlite.open(db);
        Statement st = c.createStatement()) {
      for (String l : literals) {
        st.execute("INSERT INTO v (x) VALUES (" + l + ")");
      }
    }
    Source source = SqliteSource.open(db);
    SourceTable table = source.readSchema().tables().get(0);
    try (Connection c = Sqlite.open(db);
        PreparedStatement oracle =
            c.prepareStatement("SELECT typeof(x), hex(x), x FROM v WHERE rowid = ?");
        RowCursor rows = source.openRows(table, table.columns())) {
      int n = 0;
      while (rows.next()) {
        n++;
        oracle.setLong(1, rows.rowid());
        try (ResultSet rs = oracle.executeQuery()) {
          rs.next();
          String what = "row " + rows.rowid() + " (" + literals.get((int) rows.rowid() - 1) + ")";
          assertThat(rows.longValue(0)).as(what).isEqualTo(rows.rowid());
          assertThat(storageClass(rows.type(1))).as(what).isEqualTo(rs.getString(1));
          switch (rows.type(1)) {
            case RowCursor.INTEGER ->
                assertThat(rows.longValue(1)).as(what).isEqualTo(rs.getLong(3));
            case RowCursor.REAL ->
                assertThat(Double.doubleToRawLongBits(rows.doubleValue(1)))
                    .as(what)
                    .isEqualTo(Double.doubleToRawLongBits(rs.getDouble(3)));
            case RowCursor.TEXT, RowCursor.BLOB ->
                assertThat(HexFormat.of().withUpperCase().formatHex(rows.bytes(1)))
                    .as(what)
                    .isEqualTo(rs.getString(2));
            default -> assertThat(rs.getObject(3)).as(what).isNull();
          }
        }
      }
      assertThat(n).isEqualTo(literals.size());
    }
  }

  @Test
  void rowidRangesSplitATableExactly() throws Exception {
    Path db =
        Sqlite.create(
            tmp.resolve("ranges.db"),
            "CREATE TABLE t (a TEXT);\n"
                + "WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 500)"
                + " INSERT INTO t (rowid, a) SELECT i * 3, 'r' || i FROM s;\n"
                + "CREATE TABLE k (id TEXT PRIMARY KEY, v) WITHOUT ROWID;\n"
                + "INSERT INTO k VALUES ('a', 1)");
    Source source = SqliteSource.open(db);
    SourceTable t = table(source, "t");
    assertThat(source.rowidRange(t)).containsExactly(3, 1500);
    assertThat(source.rowidRange(table(source, "k"))).isEmpty();
    Random random = new Random(5);
    for (int trial = 0; trial < 20; trial++) {
      long from = random.nextInt(1600) - 50L;
      long to = from + random.nextInt(700);
      List<Long> got = new ArrayList<>();
      try (RowCursor rows = source.openRows(t, t.columns(), from, to)) {
        while (rows.next()) {
          got.add(rows.rowid());
        }
      }
      List<Long> expected = new ArrayList<>();
      for (long r = 3; r <= 1500; r += 3) {
        if (r >= from && r <= to) {
          expected.add(r);
        }
      }
      assertThat(got).as("[%d, %d]", from, to).isEqualTo(expected);
    }
  }

  @Test
  void aMissingFileIsNamed() {
    Path missing = tmp.resolve("nope.db");
    FerryException e = catchThrowableOfType(FerryException.class, () -> SqliteSource.open(missing));
    assertThat(e.code()).isEqualTo(ErrorCode.SOURCE_UNREADABLE);
    assertThat(e.getMessage()).contains(missing.toString()).contains("no such file");
  }

  @Test
  void aFileThatIsNotADatabaseIsNamed() throws Exception {
    Path db = tmp.resolve("notes.db");
    Files.writeString(db, "these are notes, not a database\n".repeat(200));
    FerryException e = catchThrowableOfType(FerryException.class, () -> SqliteSource.open(db));
    assertThat(e.code()).isEqualTo(ErrorCode.SOURCE_UNREADABLE);
    assertThat(e.getMessage())
        .contains(db.getFileName().toString())
        .contains("not a SQLite database");
  }

  @Test
  void aDatabaseLockedByAWriterIsNamedWithWhatToDo() throws Exception {
    Path db = Sqlite.create(tmp.resolve("locked.db"), "CREATE TABLE t (a)");
    try (Connection writer = Sqlite.open(db);
        Statement st = writer.createStatement()) {
      st.execute("BEGIN EXCLUSIVE");
      FerryException e = catchThrowableOfType(FerryException.class, () -> SqliteSource.open(db));
      assertThat(e.code()).isEqualTo(ErrorCode.SOURCE_UNREADABLE);
      assertThat(e.getMessage()).contains(db.getFileName().toString()).contains("locked");
      st.execute("ROLLBACK");
    }
  }

  @Test
  void theSourceIsNamedByItsAbsoluteFile() {
    Path db = Sqlite.create(tmp.resolve("named.db"), "CREATE TABLE t (a)");
    assertThat(SqliteSource.open(db).name()).isEqualTo(db.toAbsolutePath().normalize().toString());
  }

  private static SourceTable table(Source source, String name) {
    return source.readSchema().tables().stream()
        .filter(t -> t.name().equals(name))
        .findFirst()
        .orElseThrow();
  }

  private static String storageClass(int type) {
    return switch (type) {
      case RowCursor.NULL -> "null";
      case RowCursor.INTEGER -> "integer";
      case RowCursor.REAL -> "real";
      case RowCursor.TEXT -> "text";
      default -> "blob";
    };
  }
}
