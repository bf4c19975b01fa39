package dev.ferry.value;

import java.util.List;

/** STUB of h-conv's CatalogType (throwaway until h-conv is merged). */
public record CatalogType(
    String formatted,
    Kind kind,
    int length,
    int precision,
    int scale,
    List<String> labels,
    CatalogType element,
    CatalogType base) {
  /** The kinds of type a target column may have. */
  public enum Kind {
    TEXT,
    VARCHAR,
    CHAR,
    SMALLINT,
    INTEGER,
    BIGINT,
    NUMERIC,
    REAL,
    DOUBLE,
    BOOLEAN,
    DATE,
    TIMESTAMP,
    TIMESTAMPTZ,
    TIME,
    UUID,
    JSON,
    JSONB,
    BYTEA,
    ENUM,
    ARRAY,
    DOMAIN,
    OTHER
  }
}
