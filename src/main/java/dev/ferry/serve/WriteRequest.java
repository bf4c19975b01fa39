package dev.ferry.serve;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.audit.AuditLog;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a write request asks for, checked before any connection is taken: its filters (PostgREST's,
 * parsed by {@link RowQuery}, so names come from the catalog and values are bound and cast), its
 * JSON body as column → text, and its {@code Prefer} header: {@code tx=rollback} (a preview: the
 * count, nothing kept) and {@code max-affected=N} (more rows would change: refused, nothing kept).
 */
final class WriteRequest {
  private static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  final boolean preview;
  final long maxAffected; // Long.MAX_VALUE: no guard

  private WriteRequest(boolean preview, long maxAffected) {
    this.preview = preview;
    this.maxAffected = maxAffected;
  }

  static WriteRequest of(Context ctx) {
    boolean preview = false;
    long max = Long.MAX_VALUE;
    for (String header : Collections.list(ctx.req().getHeaders("Prefer"))) {
      for (String p : header.split(",", -1)) {
        String s = p.strip();
        if (s.equals("tx=rollback")) {
          preview = true;
        } else if (s.startsWith("max-affected=")) {
          try {
            max = Long.parseLong(s.substring("max-affected=".length()));
          } catch (NumberFormatException e) {
            max = -1;
          }
          if (max < 0) {
            throw new FerryException(
                ErrorCode.USAGE, "Prefer: max-affected=N takes a whole number of rows, 0 or more");
          }
        }
      }
    }
    return new WriteRequest(preview, max);
  }

  /** The rows the request's filters select; at least one filter, and nothing but filters. */
  static AuditLog.Where where(Catalog.Table t, Map<String, List<String>> query) {
    for (String reserved : RowQuery.RESERVED) {
      if (query.containsKey(reserved)) {
        throw new FerryException(
            ErrorCode.USAGE,
            reserved + ": not for writes; a write takes filters only (column=OPERATOR.VALUE)");
      }
    }
    RowQuery q = new RowQuery(t, query, false);
    String sql = q.filterSql();
    if (sql == null) {
      throw new FerryException(
          ErrorCode.USAGE,
          "a write needs at least one filter (e.g. ?id=eq.42, or ?id=gte.0 to mean every row):"
              + " without one it would touch the whole table");
    }
    Map<String, List<String>> described = new LinkedHashMap<>();
    query.forEach(
        (k, v) -> {
          if (!k.isEmpty()) {
            described.put(k, List.copyOf(v));
          }
        });
    return new AuditLog.Where(sql, q.params, described);
  }

  /** The body as one object: column → its value as text (null for JSON null). */
  static Map<String, String> values(Context ctx) {
    JsonNode body = body(ctx);
    if (!body.isObject()) {
      throw new FerryException(
          ErrorCode.USAGE, "the body must be a JSON object of new values, e.g. {\"lang\": \"en\"}");
    }
    return values(body);
  }

  /** The body as one row (an object) or several (an array of objects). */
  static List<Map<String, String>> rows(Context ctx) {
    JsonNode body = body(ctx);
    List<Map<String, String>> out = new ArrayList<>();
    if (body.isObject()) {
      out.add(values(body));
    } else if (body.isArray()) {
      for (JsonNode n : body) {
        if (!n.isObject()) {
          throw new FerryException(ErrorCode.USAGE, "each row must be a JSON object");
        }
        out.add(values(n));
      }
    } else {
      throw new FerryException(
          ErrorCode.USAGE, "the body must be a JSON object (one row) or an array of objects");
    }
    return out;
  }

  private static JsonNode body(Context ctx) {
    try {
      JsonNode n = JSON.readTree(ctx.bodyAsBytes());
      if (n == null || n.isMissingNode()) {
        throw new FerryException(ErrorCode.USAGE, "the body is empty: send a JSON object");
      }
      return n;
    } catch (IOException e) {
      throw new FerryException(
          ErrorCode.USAGE,
          "the body is not valid JSON: "
              + RowQuery.abbreviate(String.valueOf(e.getMessage()).lines().findFirst().orElse("")));
    }
  }

  private static Map<String, String> values(JsonNode object) {
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : object.properties()) {
      JsonNode v = e.getValue();
      String text;
      if (v.isNull()) {
        text = null;
      } else if (v.isTextual()) {
        text = v.textValue();
      } else if (v.isBigDecimal()) {
        text = v.decimalValue().toString();
      } else if (v.isValueNode()) {
        text = v.asText();
      } else {
        text = v.toString(); // an object or array: its JSON, for a jsonb column
      }
      out.put(e.getKey(), text);
    }
    return out;
  }
}
