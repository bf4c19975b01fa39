package dev.ferry.maintain;

import java.util.List;

/**
 * What one retention rule did (or, in a dry run, would do).
 *
 * @param cutoff rows whose column is before it were deleted
 * @param rows rows deleted (a dry run: rows that would be)
 * @param batches transactions that deleted them (a dry run: that would)
 * @param auditIds the ferry.audit entry of each batch (none in a dry run)
 */
record RuleOutcome(
    RetentionTarget target,
    Cutoff cutoff,
    long rows,
    int batches,
    List<Long> auditIds,
    boolean dryRun) {}
