package dev.ferry.source;

/** A CHECK constraint: its name when declared (else null) and its expression as written. */
public record SourceCheck(String name, String expressionSql) {}
