package dev.ferry.plan;

import dev.ferry.source.SourceCheck;
import dev.ferry.source.SourceColumn;
import dev.ferry.source.SourceIndex;
import dev.ferry.source.SourceTable;
import dev.ferry.sql.SqlText;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Designs one target table: columns and types, defaults, keys, checks and indexes. */
final class TableDesigner {
  private static final String NOCASE = "NOCASE";

  private final SourceTable table;
  private final TableProfiler.TableProfile profile;
  private final String schema;
  private final Names names;
  private final String name;
  private final List<Note> notes = new ArrayList<>();
  private final List<ColumnPlan> columns = new ArrayList<>();
  private final List<Cast> casts;
  private final List<ExtraIndex> extraIndexes;

  /**
   * The UNIQUEs and CHECKs already designed, by what they constrain (not their names): a source
   * that declares one twice gets it once, so that a fresh run and a resumed one (which cannot tell
   * a second unnamed copy from the interrupted run's) make the same constraints.
   */
  private final java.util.Set<String> designed = new java.util.HashSet<>();

  /** The text-search configuration of full-text indexes (ferry.yaml fulltext_language). */
  private final String textSearch;

  TableDesigner(
      SourceTable table,
      TableProfiler.TableProfile profile,
      String schema,
      Names names,
      Map<String, String> tableNames,
      List<Cast> casts,
      List<ExtraIndex> extraIndexes,
      String textSearch) {
    this.textSearch = textSearch;
    this.casts = casts;
    this.extraIndexes = extraIndexes;
    this.table = table;
    this.profile = profile;
    this.schema = schema;
    this.names = names;
    this.name = tableNames.get(Planner.key(table.name()));
  }

  TablePlan design() {
    List<ColumnPlan> typed = new ArrayList<>();
    for (int i = 0; i < table.columns().size(); i++) {
      SourceColumn c = table.columns().get(i);
      TypeChoice choice = choice(c, profile.columns().get(i), casts);
      typed.add(
          new ColumnPlan(
              c, names.target(c.name()), choice, c.notNull(), null, null, c.rowidAlias()));
    }
    columns.addAll(typed);
    for (int i = 0; i < typed.size(); i++) {
      columns.set(i, finish(typed.get(i)));
    }
    fieldsFromDoc(columns);
    String qualified = SqlText.qualified(schema, name);
    List<DdlStep> steps = new ArrayList<>();
    primaryKey(qualified, steps);
    for (SourceIndex index : table.indexes()) {
      if (index.fromConstraint()) {
        unique(qualified, index, steps);
      }
    }
    for (SourceCheck check : table.checks()) {
      check(qualified, check, steps);
    }
    for (SourceIndex index : table.indexes()) {
      if (!index.fromConstraint()) {
        index(qualified, index, steps);
      }
    }
    for (ExtraIndex x : extraIndexes) {
      if (x.table().equalsIgnoreCase(name) || x.table().equalsIgnoreCase(table.name())) {
        extraIndex(qualified, x, steps);
      }
    }
    long restart = 0;
    for (int i = 0; i < columns.size(); i++) {
      if (columns.get(i).identity()) {
        ColumnProfile p = profile.columns().get(i);
        long max = Math.max(p.integers > 0 ? p.maxInteger : 0, table.sequenceValue());
        restart = Math.max(1, max + 1);
      }
    }
    for (ColumnPlan c : columns) {
      if (NOCASE.equals(c.source().collation())) {
        notes.add(
            new Note(
                "column " + table.name() + "." + c.source().name(),
                "COLLATE NOCASE: PostgreSQL compares it case-sensitively; its UNIQUE constraints"
                    + " and indexes use lower("
                    + c.name()
                    + ")"));
      }
    }
    return new TablePlan(
        table,
        schema,
        name,
        List.copyOf(columns),
        profile.rows(),
        steps,
        List.of(),
        restart,
        notes);
  }

  /** The type column {@code c} gets from what it stores and the table's ferry.yaml casts. */
  static TypeChoice choice(SourceColumn c, ColumnProfile p, List<Cast> casts) {
    return forced(c, TypeChooser.choose(c, p), p, casts);
  }

  /**
   * The user's cast for {@code c}, when ferry.yaml has one: values that do not convert follow
   * --on-bad-value at load (the checked encoders are used for every value of such a column).
   */
  private static TypeChoice forced(
      SourceColumn c, TypeChoice chosen, ColumnProfile p, List<Cast> casts) {
    for (Cast cast : casts) {
      if (cast.column().equalsIgnoreCase(c.name()) && cast.type().equals(chosen.type())) {
        return chosen; // the plan confirms Ferry's own choice: nothing is forced
      }
      if (cast.column().equalsIgnoreCase(c.name())) {
        EpochUnit epoch = EpochUnit.NONE;
        if (cast.type().kind() == PgType.Kind.TIMESTAMPTZ) {
          epoch =
              p.epochConsistent(EpochUnit.MILLISECONDS)
                  ? EpochUnit.MILLISECONDS
                  : EpochUnit.SECONDS;
        }
        String auto =
            chosen.reason().contains("→ ")
                ? chosen.reason().substring(chosen.reason().indexOf("→ ") + 2)
                : chosen.type().sql();
        return new TypeChoice(
            cast.type(),
            epoch,
            "forced by ferry.yaml line "
                + cast.line()
                + " (Ferry would choose "
                + auto
                + "); values that do not fit"
                + " follow --on-bad-value",
            Math.max(1, p.nonNull()),
            chosen.stored());
      }
    }
    return chosen;
  }

  private ColumnPlan finish(ColumnPlan c) {
    SourceColumn s = c.source();
    String dflt = null;
    if (s.defaultSql() != null) {
      Translation t = DefaultTranslator.translate(s.defaultSql(), c.choice(), this::ref);
      if (t.ok()) {
        dflt = t.sql();
      } else {
        notes.add(
            new Note(columnLabel(s), "DEFAULT " + s.defaultSql() + " not carried: " + t.problem()));
      }
    }
    String generated = null;
    if (s.isGenerated()) {
      Translation t = ExpressionTranslator.expression(s.generatedSql(), this::ref);
      if (t.ok()) {
        generated = t.sql();
        if (!s.generatedStored()) {
          notes.add(
              new Note(
                  columnLabel(s),
                  "VIRTUAL generated column becomes STORED (PostgreSQL before 18 has only STORED)"));
        }
      } else {
        notes.add(
            new Note(
                columnLabel(s),
                "generated AS ("
                    + s.generatedSql()
                    + ") not translated ("
                    + t.problem()
                    + "): loaded as a plain column with the stored values"));
      }
    }
    return new ColumnPlan(s, c.name(), c.choice(), c.notNull(), dflt, generated, c.identity());
  }

  /**
   * Marks the jsonb columns that PostgreSQL may take from the table's doc ({@link
   * ColumnPlan#fromDoc}), conservatively: only in a staged table (the field hint comes from a
   * database opened as staged) whose doc is plainly marked JSON planned as jsonb with no repair,
   * and only columns of objects and arrays, plainly marked, planned as jsonb with no repair, cast,
   * default or generation of their own. Anything else is sent as read.
   */
  static void fieldsFromDoc(List<ColumnPlan> columns) {
    ColumnPlan doc = null;
    for (ColumnPlan c : columns) {
      SourceColumn s = c.source();
      if (s.name().equals(SourceColumn.DOC) && s.docField() == null && plainJsonb(c)) {
        doc = c;
      }
    }
    if (doc == null) {
      return;
    }
    for (int i = 0; i < columns.size(); i++) {
      ColumnPlan c = columns.get(i);
      String field = c.source().docField();
      if (field != null && field.indexOf('\0') < 0 && plainJsonb(c)) {
        String expr =
            "NULLIF("
                + SqlText.ident(doc.name())
                + " -> "
                + SqlText.literal(field)
                + "::text, 'null'::jsonb)";
        columns.set(
            i,
            new ColumnPlan(
                c.source(),
                c.name(),
                c.choice(),
                c.notNull(),
                c.defaultSql(),
                c.generatedSql(),
                c.identity(),
                expr));
      }
    }
  }

  /** Plainly marked JSON, loaded as jsonb exactly as stored: no repair, cast or expression. */
  private static boolean plainJsonb(ColumnPlan c) {
    SourceColumn s = c.source();
    return s.plainJson()
        && "JSON".equals(s.declaredType())
        && !s.isGenerated()
        && s.defaultSql() == null
        && c.type().kind() == PgType.Kind.JSONB
        && c.choice().repairs() == 0
        && c.generatedSql() == null
        && c.defaultSql() == null
        && !c.identity();
  }

  private String columnLabel(SourceColumn s) {
    return "column " + table.name() + "." + s.name();
  }

  ExpressionTranslator.ColumnRef ref(String columnName) {
    ColumnPlan c = Planner.column(columns, columnName);
    return c == null ? null : new ExpressionTranslator.ColumnRef(c.name(), c.type());
  }

  private void primaryKey(String qualified, List<DdlStep> steps) {
    List<SourceColumn> pk = table.primaryKey();
    if (pk.isEmpty()) {
      return;
    }
    String cols =
        pk.stream()
            .map(c -> SqlText.ident(Planner.column(columns, c.name()).name()))
            .collect(Collectors.joining(", "));
    String constraint =
        table.primaryKeyName() == null
            ? ""
            : "CONSTRAINT "
                + SqlText.ident(names.reserve(names.target(table.primaryKeyName())))
                + " ";
    steps.add(
        new DdlStep(
            "PRIMARY KEY (" + cols + ")",
            "ALTER TABLE " + qualified + " ADD " + constraint + "PRIMARY KEY (" + cols + ")",
            "ALTER TABLE " + qualified + " ADD UNIQUE (" + cols + ")",
            offenders(qualified, cols)));
  }

  /** Key values held by more than one row, or NULL keys: what stops a PRIMARY KEY or UNIQUE. */
  static String offenders(String qualified, String cols) {
    return "SELECT CASE WHEN ("
        + cols.replace(", ", ") IS NULL OR (")
        + ") IS NULL THEN 'NULL in the key'"
        + " ELSE 'duplicate (' || concat_ws(', ', "
        + cols
        + ") || ')' END AS problem, count(*) FROM "
        + qualified
        + " GROUP BY "
        + cols
        + " HAVING count(*) > 1 OR ("
        + cols.replace(", ", ") IS NULL OR (")
        + ") IS NULL ORDER BY 2 DESC LIMIT 10";
  }

  private void unique(String qualified, SourceIndex index, List<DdlStep> steps) {
    boolean nocase = false;
    List<String> parts = new ArrayList<>();
    for (SourceIndex.Part p : index.parts()) {
      ColumnPlan c = Planner.column(columns, p.column());
      boolean lower = isNocase(p, c) && c.type().isText();
      nocase |= lower;
      parts.add(lower ? "lower(" + SqlText.ident(c.name()) + ")" : SqlText.ident(c.name()));
    }
    String list = String.join(", ", parts);
    if (!designed.add("UNIQUE (" + list + ")")) {
      notes.add(Note.declaredTwice("table " + table.name() + ", UNIQUE (" + list + ")"));
      return;
    }
    if (nocase) {
      String idx =
          names.reserve(
              names.target(
                  name
                      + "_"
                      + String.join(
                          "_", index.parts().stream().map(SourceIndex.Part::column).toList())
                      + "_key"));
      steps.add(
          new DdlStep(
              "UNIQUE (" + list + ")",
              "CREATE UNIQUE INDEX " + SqlText.ident(idx) + " ON " + qualified + " (" + list + ")",
              null));
      return;
    }
    String constraint =
        index.constraintName() == null
            ? ""
            : "CONSTRAINT "
                + SqlText.ident(names.reserve(names.target(index.constraintName())))
                + " ";
    steps.add(
        new DdlStep(
            "UNIQUE (" + list + ")",
            "ALTER TABLE " + qualified + " ADD " + constraint + "UNIQUE (" + list + ")",
            null,
            offenders(qualified, list)));
  }

  private void check(String qualified, SourceCheck check, List<DdlStep> steps) {
    Translation t = ExpressionTranslator.expression(check.expressionSql(), this::ref);
    String label = "CHECK (" + check.expressionSql() + ")";
    if (!t.ok()) {
      notes.add(Note.notCreated("table " + table.name() + ", " + label, t.problem()));
      return;
    }
    if (!designed.add("CHECK (" + t.sql() + ")")) {
      notes.add(Note.declaredTwice("table " + table.name() + ", " + label));
      return;
    }
    String constraint =
        check.name() == null ? "" : "CONSTRAINT " + SqlText.ident(names.target(check.name())) + " ";
    String sql = "ALTER TABLE " + qualified + " ADD " + constraint + "CHECK (" + t.sql() + ")";
    steps.add(new DdlStep(label, sql, sql + " NOT VALID"));
  }

  private void index(String qualified, SourceIndex index, List<DdlStep> steps) {
    List<String> parts = new ArrayList<>();
    for (SourceIndex.Part p : index.parts()) {
      String expr;
      boolean text;
      if (p.column() != null) {
        ColumnPlan c = Planner.column(columns, p.column());
        expr = SqlText.ident(c.name());
        text = c.type().isText();
        if (isNocase(p, c)) {
          if (text) {
            expr = "lower(" + expr + ")";
          } else {
            notes.add(
                new Note(
                    "index " + index.name(),
                    "COLLATE NOCASE dropped on " + c.name() + " (" + c.type() + " is not text)"));
          }
        }
      } else {
        Translation t = ExpressionTranslator.expression(p.expressionSql(), this::ref);
        if (!t.ok()) {
          notes.add(
              Note.notCreated(
                  "index " + index.name(), "expression " + p.expressionSql() + ": " + t.problem()));
          return;
        }
        expr = "(" + t.sql() + ")";
        if (NOCASE.equals(p.collation())) {
          expr = "lower(" + expr + ")";
        }
      }
      parts.add(expr + (p.descending() ? " DESC" : ""));
    }
    String where = "";
    if (index.whereSql() != null) {
      Translation t = ExpressionTranslator.expression(index.whereSql(), this::ref);
      if (!t.ok()) {
        notes.add(
            Note.notCreated(
                "index " + index.name(), "WHERE " + index.whereSql() + ": " + t.problem()));
        return;
      }
      where = " WHERE " + t.sql();
    }
    String wanted = names.target(index.name());
    String idx = names.reserve(wanted);
    if (!idx.equals(wanted)) {
      notes.add(
          new Note(
              "index " + index.name(),
              "renamed to " + idx + " (the name is taken in schema " + schema + ")"));
    }
    steps.add(
        new DdlStep(
            "index " + idx,
            "CREATE "
                + (index.unique() ? "UNIQUE " : "")
                + "INDEX "
                + SqlText.ident(idx)
                + " ON "
                + qualified
                + " ("
                + String.join(", ", parts)
                + ")"
                + where,
            null));
  }

  /** An index ferry.yaml asks for (GIN on jsonb, trigram, full text, btree). */
  private void extraIndex(String qualified, ExtraIndex x, List<DdlStep> steps) {
    String expr = x.expression();
    ColumnPlan column =
        columns.stream().filter(c -> c.name().equalsIgnoreCase(expr)).findFirst().orElse(null);
    String operand = column != null ? SqlText.ident(column.name()) : "(" + expr + ")";
    String slug = expr.replaceAll("[^A-Za-z0-9_]+", "_").replaceAll("^_+|_+$", "");
    String idx = names.reserve(names.target(name + "_" + slug + "_" + x.kind()));
    String using =
        switch (x.kind()) {
          case "gin" ->
              " USING gin ("
                  + operand
                  + (column != null && column.type().kind() == PgType.Kind.JSONB
                      ? " jsonb_path_ops"
                      : "")
                  + ")";
          case "trigram" -> " USING gin (" + operand + " gin_trgm_ops)";
          case "fulltext" ->
              " USING gin (to_tsvector(" + SqlText.literal(textSearch) + ", " + operand + "))";
          default -> " (" + operand + ")";
        };
    if (x.kind().equals("trigram")) {
      steps.add(
          new DdlStep(
              "extension pg_trgm (for index " + idx + ")",
              "CREATE EXTENSION IF NOT EXISTS pg_trgm",
              null));
    }
    steps.add(
        new DdlStep(
            "index "
                + idx
                + (x.line() > 0
                    ? " (ferry.yaml line " + x.line() + ")"
                    : " (full-text search, from SQLite's FTS table)"),
            "CREATE INDEX " + SqlText.ident(idx) + " ON " + qualified + using,
            null));
  }

  private static boolean isNocase(SourceIndex.Part p, ColumnPlan c) {
    return NOCASE.equals(p.collation())
        || (p.collation() == null && NOCASE.equals(c.source().collation()));
  }
}
