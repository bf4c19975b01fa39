package dev.ferry.source;

/** A view: its name and the SELECT that defines it, as written. */
public record SourceView(String name, String selectSql) {}
