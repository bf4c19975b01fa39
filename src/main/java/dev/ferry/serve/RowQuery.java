package dev.ferry.serve;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.sql.SqlText;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One request for rows of a table, checked and turned into SQL. Column names come only from the
 * catalog; JSON keys must be plain words and are then written as SQL literals (so an expression
 * index on {@code metadata->>'lang'} matches); every value is a bound parameter cast to the
 * column's type. Filters use PostgREST's vocabulary: {@code col=eq.x}, {@code neq gt gte lt lte
 * like ilike in is cs}, {@code not.} before any of them.
 *
 * <p>Why over 500 lines: one rows request becomes one SQL text here (filters, order, keyset,
 * search), and each part constrains the others' parameters and order; kept in one place so the
 * bound parameters and the SQL cannot drift apart.
 */
final class RowQuery {
  static final int DEFAULT_LIMIT = 50;
  static final int MAX_LIMIT = 1000;
  static final int SEARCH_CANDIDATES = 200;
  static final Set<String> RESERVED = Set.of("limit", "order", "after", "q", "format", "token");
  private static final Pattern JSON_KEY = Pattern.compile("[A-Za-z0-9_ .:@$#-]{1,100}");
  private static final Pattern PATH = Pattern.compile("->>?");
  private static final Pattern FTS =
      Pattern.compile("to_tsvector\\('simple'::regconfig, \\(?\"?([^\")]+)\"?\\)?\\)");
  private static final Set<String> OPS =
      Set.of("eq", "neq", "gt", "gte", "lt", "lte", "like", "ilike", "in", "is", "cs");

  final Catalog.Table table;
  final int limit;
  final String order;
  final boolean descending;
  private final boolean sorted; // order= was given (else: by key, or by rank when searching)
  final Catalog.Column orderColumn;
  final List<String> key; // primary key columns, or ctid
  final String search;
  final List<Object> params = new ArrayList<>();
  private final List<String> where = new ArrayList<>();
  final Cursor after;

  RowQuery(Catalog.Table table, Map<String, List<String>> query, boolean export) {
    this.table = table;
    this.limit = export ? Integer.MAX_VALUE : limit(first(query, "limit"));
    this.key =
        table.primaryKey().isEmpty() && table.kind().equals("table")
            ? List.of("ctid")
            : table.primaryKey();
    String o = first(query, "order");
    String col;
    boolean desc = false;
    if (o == null || o.isEmpty()) {
      col = key.isEmpty() ? null : key.get(0);
    } else {
      col = o;
      if (o.endsWith(".desc")) {
        col = o.substring(0, o.length() - 5);
        desc = true;
      } else if (o.endsWith(".asc")) {
        col = o.substring(0, o.length() - 4);
      }
      if (table.column(col) == null) {
        throw new FerryException(
            ErrorCode.USAGE,
            "order: no column '"
                + abbreviate(col)
                + "' in "
                + table.schema()
                + "."
                + table.name()
                + "; use order=COLUMN or order=COLUMN.desc");
      }
    }
    this.sorted = o != null && !o.isEmpty();
    this.orderColumn = col == null || col.equals("ctid") ? null : table.column(col);
    this.descending = desc;
    this.order = (col == null ? "" : col) + (desc ? ".desc" : "");
    for (Map.Entry<String, List<String>> e : query.entrySet()) {
      if (RESERVED.contains(e.getKey()) || stray(e.getKey(), e.getValue())) {
        continue;
      }
      for (String v : e.getValue()) {
        where.add(filter(e.getKey(), v));
      }
    }
    this.filterParams = List.copyOf(params);
    String q = first(query, "q");
    this.search = q == null || q.isBlank() ? null : q.strip();
    if (search != null && search.length() > 200) {
      throw new FerryException(ErrorCode.USAGE, "q: at most 200 characters");
    }
    String a = first(query, "after");
    this.after = a == null || a.isEmpty() ? null : Cursor.decode(a, cursorOrder(), key.size());
    this.sql = pageSql();
    this.bind = bindOrder();
  }

  /**
   * A request that only filters (count, facets, histogram): paging and sorting parameters are
   * ignored, {@code own} parameters are the endpoint's and no filter, and a search is refused (its
   * results are capped, so no count or facet over them would be true).
   */
  static RowQuery filtersOnly(
      Catalog.Table table, Map<String, List<String>> query, String what, String... own) {
    Map<String, List<String>> filters = new java.util.LinkedHashMap<>(query);
    for (String p : List.of("limit", "order", "after", "format")) {
      filters.remove(p);
    }
    for (String p : own) {
      filters.remove(p);
    }
    String q = first(filters, "q");
    if (q != null && !q.isBlank()) {
      throw new FerryException(
          ErrorCode.USAGE, what + " takes filters, not q= (search results are capped)");
    }
    return new RowQuery(table, filters, true);
  }

  /** The filters' parameters, in the order {@link #filters()} reads them. */
  final List<Object> filterParams;

  /**
   * The filters alone, as a condition ({@code TRUE} when there are none): for counts and facets.
   */
  String filters() {
    return where.isEmpty() ? "TRUE" : String.join(" AND ", where);
  }

  /** A column or a JSON path into one ({@code metadata->>lang}) as SQL, and its type. */
  record Expression(String sql, String type) {}

  /** {@code name} as SQL, checked like a filter's column (USAGE naming the columns if unknown). */
  Expression expression(String name) {
    Operand o = operand(name);
    return new Expression(o.sql(), o.type());
  }

  /** The page's SQL (limit + 1 rows, to know whether there is a next page) and its parameters. */
  final String sql;

  final List<Object> bind;

  /**
   * The filters alone, joined with AND, or null when there are none; their values are {@link
   * #params} when the request has no search and no cursor (as a write's never has).
   */
  String filterSql() {
    return where.isEmpty() ? null : String.join(" AND ", where);
  }

  private String cursorOrder() {
    return search != null ? "search:" + order : order;
  }

  boolean offsetPaging() {
    return search != null || key.isEmpty();
  }

  /** An empty pair, as a stray {@code &} makes ({@code ?a=1&}): no filter at all. */
  private static boolean stray(String name, List<String> values) {
    return name.isEmpty() && values.stream().allMatch(String::isEmpty);
  }

  private static String first(Map<String, List<String>> q, String name) {
    List<String> v = q.get(name);
    if (v == null || v.isEmpty()) {
      return null;
    }
    if (v.size() > 1) {
      throw new FerryException(ErrorCode.USAGE, name + ": give it once");
    }
    return v.get(0);
  }

  private static int limit(String s) {
    if (s == null) {
      return DEFAULT_LIMIT;
    }
    try {
      int n = Integer.parseInt(s);
      if (n >= 1 && n <= MAX_LIMIT) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new FerryException(
        ErrorCode.USAGE,
        "limit: use a whole number from 1 to " + MAX_LIMIT + " (got '" + abbreviate(s) + "')");
  }

  /** An expression a filter may name: a column, or a path into a jsonb column. */
  private record Operand(String sql, String type, boolean jsonb) {}

  private Operand operand(String name) {
    Catalog.Column c = table.column(name);
    if (c != null) {
      return new Operand(SqlText.ident(c.name()), c.type(), c.jsonb());
    }
    Matcher m = PATH.matcher(name);
    if (m.find()) {
      Catalog.Column base = table.column(name.substring(0, m.start()));
      if (base != null && base.jsonb()) {
        StringBuilder sql = new StringBuilder(SqlText.ident(base.name()));
        int at = m.start();
        boolean text = false;
        m.reset();
        List<int[]> arrows = new ArrayList<>();
        while (m.find()) {
          arrows.add(new int[] {m.start(), m.end()});
        }
        for (int i = 0; i < arrows.size(); i++) {
          int[] arrow = arrows.get(i);
          if (arrow[0] != at) {
            break;
          }
          int end = i + 1 < arrows.size() ? arrows.get(i + 1)[0] : name.length();
          String k = name.substring(arrow[1], end);
          if (!JSON_KEY.matcher(k).matches() || (text && i > 0)) {
            throw new FerryException(
                ErrorCode.USAGE,
                "filter '"
                    + abbreviate(name)
                    + "': JSON keys are letters, digits and _ .:@$#- (at most 100), and ->> comes last");
          }
          text = arrow[1] - arrow[0] == 3;
          sql.append(text ? " ->> " : " -> ").append(SqlText.literal(k));
          at = end;
        }
        if (at == name.length()) {
          return new Operand(sql.toString(), text ? "text" : "jsonb", !text);
        }
      }
    }
    throw new FerryException(
        ErrorCode.USAGE,
        "unknown column or parameter '"
            + abbreviate(name)
            + "' for "
            + table.schema()
            + "."
            + table.name()
            + " (columns: "
            + String.join(", ", table.columns().stream().map(Catalog.Column::name).toList())
            + "; JSON fields as column->>key)");
  }

  private String filter(String name, String value) {
    Operand x = operand(name);
    boolean not = false;
    String v = value;
    if (v.startsWith("not.")) {
      not = true;
      v = v.substring(4);
    }
    int dot = v.indexOf('.');
    String op = dot < 0 ? v : v.substring(0, dot);
    if (dot < 0 || !OPS.contains(op)) {
      throw new FerryException(
          ErrorCode.USAGE,
          "filter "
              + abbreviate(name)
              + "='"
              + abbreviate(value)
              + "': write OPERATOR.VALUE with eq, neq, gt, gte, lt, lte, like, ilike, in, is, cs"
              + " (not. before any), e.g. "
              + abbreviate(name)
              + "=eq.42");
    }
    String arg = v.substring(dot + 1);
    String cast = "CAST(? AS " + x.type() + ")";
    String sql =
        switch (op) {
          case "eq" -> bind(x.sql() + " = " + cast, arg);
          case "neq" -> bind(x.sql() + " <> " + cast, arg);
          case "gt" -> bind(x.sql() + " > " + cast, arg);
          case "gte" -> bind(x.sql() + " >= " + cast, arg);
          case "lt" -> bind(x.sql() + " < " + cast, arg);
          case "lte" -> bind(x.sql() + " <= " + cast, arg);
          case "like" -> bind(x.sql() + "::text LIKE ?", arg.replace('*', '%'));
          case "ilike" -> bind(x.sql() + "::text ILIKE ?", arg.replace('*', '%'));
          case "in" -> in(x, arg, cast);
          case "is" ->
              switch (arg) {
                case "null" -> x.sql() + " IS NULL";
                case "true" -> x.sql() + " IS TRUE";
                case "false" -> x.sql() + " IS FALSE";
                default ->
                    throw new FerryException(
                        ErrorCode.USAGE,
                        "filter " + abbreviate(name) + ": is.null, is.true or is.false");
              };
          default -> {
            if (!x.jsonb()) {
              throw new FerryException(
                  ErrorCode.USAGE,
                  "filter " + abbreviate(name) + "=cs.…: containment needs a jsonb column");
            }
            yield bind(x.sql() + " @> CAST(? AS jsonb)", arg);
          }
        };
    return not ? "NOT (" + sql + ")" : sql;
  }

  private String in(Operand x, String arg, String cast) {
    if (!arg.startsWith("(") || !arg.endsWith(")")) {
      throw new FerryException(ErrorCode.USAGE, "in: write in.(a,b,c)");
    }
    List<String> items = new ArrayList<>();
    for (String s : arg.substring(1, arg.length() - 1).split(",", -1)) {
      items.add(s.strip());
    }
    if (items.size() > 100) {
      throw new FerryException(ErrorCode.USAGE, "in: at most 100 values");
    }
    StringBuilder b = new StringBuilder(x.sql()).append(" IN (");
    for (int i = 0; i < items.size(); i++) {
      b.append(i == 0 ? "" : ", ").append(cast);
      params.add(items.get(i));
    }
    return b.append(')').toString();
  }

  private String bind(String sql, String arg) {
    params.add(arg);
    return sql;
  }

  /** The columns searched with their full-text index, or the text columns when none has one. */
  private List<String> fullTextColumns() {
    List<String> out = new ArrayList<>();
    for (String idx : table.indexes()) {
      Matcher m = FTS.matcher(idx);
      if (m.find() && table.column(m.group(1)) != null) {
        out.add(m.group(1));
      }
    }
    return out;
  }

  private String selectList() {
    StringBuilder b = new StringBuilder();
    for (Catalog.Column c : table.columns()) {
      b.append(b.length() == 0 ? "" : ", ").append(SqlText.ident(c.name()));
    }
    if (key.equals(List.of("ctid"))) {
      b.append(", ctid::text AS \"__ferry_ctid\"");
    }
    return b.toString();
  }

  private String keyList() {
    StringBuilder b = new StringBuilder();
    for (String k : key) {
      b.append(b.length() == 0 ? "" : ", ").append(k.equals("ctid") ? "ctid" : SqlText.ident(k));
    }
    return b.toString();
  }

  private String keyType(String k) {
    return k.equals("ctid") ? "tid" : table.column(k).type();
  }

  private String pageSql() {
    String filters = where.isEmpty() ? "TRUE" : String.join(" AND ", where);
    if (search != null) {
      return searchSql(filters);
    }
    StringBuilder sql =
        new StringBuilder("SELECT ")
            .append(selectList())
            .append(" FROM ")
            .append(table.qualified());
    List<String> conditions = new ArrayList<>(where);
    String orderBy;
    if (key.isEmpty()) { // a view: ordered by its first column, paged by offset
      orderBy =
          orderColumn == null
              ? "1"
              : SqlText.ident(orderColumn.name()) + (descending ? " DESC" : "");
    } else {
      String s = orderColumn == null ? null : SqlText.ident(orderColumn.name());
      boolean byKey =
          orderColumn == null || (key.size() == 1 && key.get(0).equals(orderColumn.name()));
      orderBy =
          byKey
              ? keyList() + (descending ? " DESC" : "")
              : s + (descending ? " DESC NULLS FIRST, " : " ASC NULLS LAST, ") + keyList();
      if (after != null && !after.isOffset()) {
        conditions.add(keyset(s, byKey));
      }
    }
    if (!conditions.isEmpty()) {
      sql.append(" WHERE ").append(String.join(" AND ", conditions));
    }
    sql.append(" ORDER BY ").append(orderBy);
    if (limit != Integer.MAX_VALUE) {
      sql.append(" LIMIT ").append(limit + 1);
    }
    if (after != null && after.isOffset()) {
      sql.append(" OFFSET ").append(after.offset());
    }
    return sql.toString();
  }

  private String keyset(String s, boolean byKey) {
    StringBuilder values = new StringBuilder("(");
    for (int i = 0; i < key.size(); i++) {
      values
          .append(i == 0 ? "" : ", ")
          .append("CAST(? AS ")
          .append(keyType(key.get(i)))
          .append(')');
    }
    values.append(')');
    String tuple = "(" + keyList() + ")";
    if (byKey) {
      params.addAll(after.key());
      return tuple + (descending ? " < " : " > ") + values;
    }
    String k = tuple + " > " + values;
    String cast = "CAST(? AS " + orderColumn.type() + ")";
    boolean nullable = !orderColumn.notNull();
    if (after.value() == null) {
      params.addAll(after.key());
      return descending
          ? "((" + s + " IS NULL AND " + k + ") OR " + s + " IS NOT NULL)"
          : "(" + s + " IS NULL AND " + k + ")";
    }
    params.add(after.value());
    params.add(after.value());
    params.addAll(after.key());
    // S >= v bounds an index range scan; the OR inside only decides the ties
    String past =
        descending
            ? "(" + s + " <= " + cast + " AND (" + s + " < " + cast + " OR " + k + "))"
            : "(" + s + " >= " + cast + " AND (" + s + " > " + cast + " OR " + k + "))";
    return !descending && nullable ? "(" + past + " OR " + s + " IS NULL)" : past;
  }

  private String searchSql(String filters) {
    List<String> fts = fullTextColumns();
    String match;
    String rank;
    if (!fts.isEmpty()) {
      List<String> m = new ArrayList<>();
      List<String> r = new ArrayList<>();
      for (String c : fts) {
        m.add(
            "to_tsvector('simple', " + SqlText.ident(c) + ") @@ websearch_to_tsquery('simple', ?)");
        params.add(search);
      }
      for (String c : fts) {
        r.add(
            "ts_rank(to_tsvector('simple', "
                + SqlText.ident(c)
                + "), websearch_to_tsquery('simple', ?))");
      }
      match = "(" + String.join(" OR ", m) + ")";
      rank = String.join(" + ", r);
      // the rank's parameters come after the filter's in the final SQL: see bindOrder
      rankParams = fts.size();
      searchIndexed = true;
    } else {
      List<String> m = new ArrayList<>();
      for (Catalog.Column c : table.columns()) {
        if (c.textual() || c.jsonb()) {
          m.add(SqlText.ident(c.name()) + "::text ILIKE ?");
          params.add(
              "%" + search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%");
        }
      }
      if (m.isEmpty()) {
        throw new FerryException(
            ErrorCode.USAGE, "q: " + table.name() + " has no text or JSON columns to search");
      }
      match = "(" + String.join(" OR ", m) + ")";
      rank = "0";
    }
    this.searchCondition = filters + " AND " + match;
    // The candidates are the first matches in the requested order (by key when none): the same
    // rows on every request, and a sort that holds across pages. Unsorted, they are ranked.
    String tiebreak = key.isEmpty() ? "1" : keyList();
    String candidates =
        sorted
            ? SqlText.ident(orderColumn.name())
                + (descending ? " DESC NULLS FIRST" : " ASC NULLS LAST")
                + (key.isEmpty() ? "" : ", " + keyList())
            : tiebreak;
    return "SELECT "
        + selectList()
        + " FROM (SELECT *"
        + (key.equals(List.of("ctid")) ? ", ctid" : "")
        + ", "
        + rank
        + " AS __ferry_rank FROM "
        + table.qualified()
        + " WHERE "
        + filters
        + " AND "
        + match
        + " ORDER BY "
        + candidates
        + " LIMIT "
        + SEARCH_CANDIDATES
        + ") c ORDER BY "
        + (sorted ? candidates : "__ferry_rank DESC, " + tiebreak)
        + " LIMIT "
        + (limit + 1)
        + (after != null && after.isOffset() ? " OFFSET " + after.offset() : "");
  }

  private int rankParams;

  /** True when the search goes through a full-text index (false: ILIKE over the text columns). */
  boolean searchIndexed;

  private static final Pattern LEADING_BTREE =
      Pattern.compile("USING btree \\((\"(?:[^\"]|\"\")+\"|[^ ,()\"]+)[ ,)]");

  /**
   * Whether a btree index gives a search's candidate order (the primary key's, or one leading with
   * the sort column), so that walking it finds the candidates without reading every match. Tables
   * without a key and views have none: their candidates are fetched and sorted.
   */
  boolean searchWalkable() {
    if (key.isEmpty() || key.equals(List.of("ctid"))) {
      return false;
    }
    if (!sorted) {
      return true;
    }
    for (String idx : table.indexes()) {
      Matcher m = LEADING_BTREE.matcher(idx);
      if (m.find()) {
        String first = m.group(1);
        String name =
            first.startsWith("\"")
                ? first.substring(1, first.length() - 1).replace("\"\"", "\"")
                : first;
        if (name.equals(orderColumn.name())) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * A search's whole condition (filters AND match), whose parameters are {@link #params}; null
   * without a search. {@link SearchBound} counts it up to a bound.
   */
  String searchCondition;

  /** The parameters in the order the SQL uses them. */
  private List<Object> bindOrder() {
    if (search == null || rankParams == 0) {
      return params;
    }
    // params = filters…, match×n; the SQL reads rank×n (select list) before filters and match
    int n = rankParams;
    List<Object> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(search);
    }
    out.addAll(params);
    return out;
  }

  /** The cursor after the last row, given its order value and key as text. */
  Cursor next(String orderValue, List<String> keyValues, long offsetSoFar) {
    if (offsetPaging()) {
      return Cursor.offset(cursorOrder(), offsetSoFar);
    }
    return Cursor.keyset(cursorOrder(), orderValue, keyValues);
  }

  static String abbreviate(String s) {
    String t = s.length() > 60 ? s.substring(0, 60) + "…" : s;
    return t.replaceAll("\\p{Cntrl}", "?");
  }
}
