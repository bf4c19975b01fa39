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
    ObjectNode rows = paths.withObject("/api/tables/{schema}/{table}/rows");
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
    ObjectNode one = paths.withObject("/api/tables/{schema}/{table}/rows/{key}");
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
    ObjectNode undo = paths.withObject("/api/audit/{id}/undo");
    op(undo, "post", "undoAudit", "Undo an audit entry (write mode)", false, false, "rows");
    paths
        .withObject("/api/audit")
        .withObject("get")
        .put("operationId", "listAudit")
        .put("summary", "Audit entries, newest first (limit, before=ID)");
    paths
        .withObject("/api/audit/{id}")
        .withObject("get")
        .put("operationId", "getAudit")
        .put("summary", "One audit entry with the rows it changed, before and after");
    paths
        .withObject("/api/write")
        .withObject("get")
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
    ObjectNode o = path.withObject(method);
    o.put("operationId", id).put("summary", summary);
    o.withArray("parameters")
        .addObject()
        .put("name", "Prefer")
        .put("in", "header")
        .put(
            "description",
            "tx=rollback: preview (count, nothing kept); max-affected=N: refuse above N")
        .withObject("schema")
        .put("type", "string");
    if (filters) {
      o.put("description", "PostgREST filters in the query (column=OPERATOR.VALUE); at least one");
    }
    if (body) {
      o.withObject("requestBody")
          .put("required", true)
          .withObject("content")
          .withObject("application/json")
          .withObject("schema")
          .put("type", "object");
    }
    ObjectNode ok = o.withObject("responses").withObject("200");
    ok.put("description", "done (or previewed)");
    ObjectNode props =
        ok.withObject("content")
            .withObject("application/json")
            .withObject("schema")
            .put("type", "object")
            .withObject("properties");
    props.withObject(count).put("type", "integer");
    props.withObject("audit_id").putArray("type").add("integer").add("null");
    props.withObject("preview").put("type", "boolean");
    for (String status : new String[] {"400", "401", "403", "404", "405", "409"}) {
      o.withObject("responses")
          .withObject(status)
          .put("description", "error {error, code, status}");
    }
  }
}
