package dev.ferry.load;

import dev.ferry.value.BadValuePolicy;
import java.util.UUID;

/**
 * How to load a table.
 *
 * @param ifExists what to do with an existing table
 * @param checksum compute the source side's checksum while streaming
 * @param badValues what to do with values PostgreSQL cannot hold as stored
 * @param run the run the fixups, rejects and checkpoints belong to (ferry.runs)
 * @param chunkRows rows per committed chunk of a big table (0: each table whole)
 */
public record LoadOptions(
    IfExists ifExists, boolean checksum, BadValuePolicy badValues, UUID run, long chunkRows) {}
