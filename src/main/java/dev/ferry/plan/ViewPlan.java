package dev.ferry.plan;

/**
 * A view: its target name and translated CREATE VIEW, or null when the SELECT did not translate
 * (then {@code problem} says why).
 */
public record ViewPlan(String sourceName, String name, String sql, String problem) {}
