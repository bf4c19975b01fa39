package dev.ferry.serve;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The OpenAPI 3.1 description of the write mode's operations (each with its operationId), for the
 * generator of {@code /api/openapi.json} to merge into its {@code paths}.
 */
public final class WriteApi {
  private WriteApi() {}

  /** Adds the write and audit operations to {@code paths}. */
  public static void describe(ObjectNode paths) {
    ObjectNode rows = paths.withObjectProperty("/api/tables/{schema}/{table}/rows");
    op(rows, "patch", "updateRows", "Update the filtered rows (write mode)", true, true, "updated");
    op(
        rows,
        "delete",
        "deleteRows",
        "Delete the filtered rows (write mode)",
        true,
        false,
        "deleted");
    op(
        rows,
        "post",
        "insertRows",
        "Insert one row or an array (write mode)",
        false,
        true,
        "inserted");
    ObjectNode one = paths.withObjectProperty("/api/tables/{schema}/{table}/rows/{key}");
    op(
        one,
        "patch",
        "updateRowByKey",
        "Update one row by its key (write mode)",
        false,
        true,
        "updated");
    op(
        one,
        "delete",
        "deleteRowByKey",
        "Delete one row by its key (write mode)",
        false,
        false,
        "deleted");
    ObjectNode undo = paths.withObjectProperty("/api/audit/{id}/undo");
    op(undo, "post", "undoAudit", "Undo an audit entry (write mode)", false, false, "rows");
    paths
        .withObjectProperty("/api/audit")
        .withObjectProperty("get")
        .put("operationId", "listAudit")
        .put("summary", "Audit entries, newest first (limit, before=ID)");
    paths
        .withObjectProperty("/api/audit/{id}")
        .withObjectProperty("get")
        .put("operationId", "getAudit")
        .put("summary", "One audit entry with the rows it changed, before and after");
    paths
        .withObjectProperty("/api/write")
        .withObjectProperty("get")
        .put("operationId", "writeStatus")
        .put("summary", "Whether write mode is on, and this session's CSRF token");
  }

  private static void op(
      ObjectNode path,
      String method,
      String id,
      String summary,
      boolean filters,
      boolean body,
      String count) {
    ObjectNode o = path.withObjectProperty(method);
    o.put("operationId", id).put("summary", summary);
    o.withArray("parameters")
        .addObject()
        .put("name", "Prefer")
        .put("in", "header")
        .put(
            "description",
            "tx=rollback: preview (count, nothing kept); max-affected=N: refuse above N")
        .withObjectProperty("schema")
        .put("type", "string");
    if (filters) {
      o.put("description", "PostgREST filters in the query (column=OPERATOR.VALUE); at least one");
    }
    if (body) {
      o.withObjectProperty("requestBody")
          .put("required", true)
          .withObjectProperty("content")
          .withObjectProperty("application/json")
          .withObjectProperty("schema")
          .put("type", "object");
    }
    ObjectNode ok = o.withObjectProperty("responses").withObjectProperty("200");
    ok.put("description", "done (or previewed)");
    ObjectNode props =
        ok.withObjectProperty("content")
            .withObjectProperty("application/json")
            .withObjectProperty("schema")
            .put("type", "object")
            .withObjectProperty("properties");
    props.withObjectProperty(count).put("type", "integer");
    props.withObjectProperty("audit_id").putArray("type").add("integer").add("null");
    props.withObjectProperty("preview").put("type", "boolean");
    for (String status : new String[] {"400", "401", "403", "404", "405", "409"}) {
      o.withObjectProperty("responses")
          .withObjectProperty(status)
          .put("description", "error {error, code, status}");
    }
  }
}
