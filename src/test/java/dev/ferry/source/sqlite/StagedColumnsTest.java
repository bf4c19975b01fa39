package dev.ferry.source.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.source.SourceColumn;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The hints of a staged database are read whatever version of staging wrote {@code _ferry_columns}:
 * one without {@code plain_json} marks no column plain, one without {@code field} names no doc
 * field, and a database with both gives each column its own; a SQLite file without the table is
 * read as it is.
 */
class StagedColumnsTest {
  private static final List<SourceColumn> COLUMNS =
      List.of(column("id"), column("a"), column("b"), column("key_again"));

  @Test
  void everyVintageOfTheHintsTableGivesWhatItRecorded() throws Exception {
    assertThat(hints("tbl TEXT, col TEXT, position INTEGER, declared TEXT"))
        .containsExactly("b JSON false null", "a NUMERIC false null", "id  false null");
    assertThat(hints("tbl TEXT, col TEXT, position INTEGER, declared TEXT, plain_json INTEGER"))
        .containsExactly("b JSON true null", "a NUMERIC false null", "id  false null");
    assertThat(
            hints(
                "tbl TEXT, col TEXT, position INTEGER, declared TEXT, plain_json INTEGER,"
                    + " field TEXT"))
        .containsExactly("b JSON true b", "a NUMERIC false null", "id  false null");
    // the columns in another order: found by name, not by place
    assertThat(
            hints(
                "field TEXT, plain_json INTEGER, tbl TEXT, col TEXT, position INTEGER,"
                    + " declared TEXT"))
        .containsExactly("b JSON true b", "a NUMERIC false null", "id  false null");
  }

  @Test
  void aFileWithoutTheHintsTableIsReadAsItIs() throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + newFile())) {
      assertThat(StagedColumns.read(c).apply("t", COLUMNS)).isEqualTo(COLUMNS);
    }
  }

  /** The columns of table t as the hints give them: name, declared type, plain, doc field. */
  private static List<String> hints(String definition) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + newFile());
        Statement st = c.createStatement()) {
      st.execute("CREATE TABLE _ferry_columns (" + definition + ")");
      boolean plain = definition.contains("plain_json");
      boolean field = definition.contains("field");
      st.execute(
          "INSERT INTO _ferry_columns (tbl, col, position, declared"
              + (plain ? ", plain_json" : "")
              + (field ? ", field" : "")
              + ") VALUES"
              + row("'t', 'b', 0, 'JSON'", plain ? "1" : null, field ? "'b'" : null)
              + ","
              + row("'t', 'a', 1, 'NUMERIC'", plain ? "0" : null, field ? "NULL" : null)
              + ","
              + row("'t', 'key_again', -1, NULL", plain ? "0" : null, field ? "NULL" : null)
              + ","
              + row("'other', 'id', 0, 'JSON'", plain ? "1" : null, field ? "'id'" : null));
      return StagedColumns.read(c).apply("t", COLUMNS).stream()
          .map(
              col ->
                  col.name()
                      + " "
                      + col.declaredType()
                      + " "
                      + col.plainJson()
                      + " "
                      + col.docField())
          .toList();
    }
  }

  private static String row(String values, String plain, String field) {
    return "("
        + values
        + (plain != null ? ", " + plain : "")
        + (field != null ? ", " + field : "")
        + ")";
  }

  private static SourceColumn column(String name) {
    return new SourceColumn(name, "", false, null, 0, null, null, false, false, false);
  }

  private static Path newFile() throws Exception {
    Path dir = Files.createTempDirectory("ferry-staged-columns");
    return dir.resolve("staged.db");
  }
}
