package dev.runbook.model;

/** Incident severity, from P1 (critical) to P4 (minor); the contract's {@code severity} key. */
public enum Severity {
    P1,
    P2,
    P3,
    P4
}
