package dev.ferry.map;

/**
 * What loading one mapped source table did (also read back from ferry.mapped_tables on resume).
 *
 * @param table the mapped table
 * @param rowsRead source rows read
 * @param rowsWritten rows inserted into the target table
 * @param setAside rows kept in ferry.rejects instead (a value did not fit)
 * @param bytes COPY text sent
 * @param seconds time spent
 */
public record MappedLoad(
    MappedTable table,
    long rowsRead,
    long rowsWritten,
    long setAside,
    long bytes,
    double seconds) {}
