package dev.ferry.load;

import dev.ferry.plan.Note;
import java.util.List;

/**
 * What loading one table did.
 *
 * @param rowsRead rows read from the source
 * @param rowsWritten rows PostgreSQL reports it stored (COPY's own count)
 * @param rowsBefore rows the table held before (append mode), else 0
 * @param fixed values loaded in repaired form (recorded in ferry.fixups)
 * @param setAside rows kept out of the table (recorded in ferry.rejects)
 * @param bytes bytes of COPY data sent
 * @param nanos time spent loading, constraints and indexes included
 * @param sourceChecksum checksum of the rows as read and converted, or null when not computed
 * @param notes what could not be carried exactly
 */
public record LoadResult(
    long rowsRead,
    long rowsWritten,
    long rowsBefore,
    long fixed,
    long setAside,
    long bytes,
    long nanos,
    dev.ferry.value.TableChecksum sourceChecksum,
    List<Note> notes) {}
