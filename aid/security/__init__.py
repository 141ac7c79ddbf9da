"""Cross-cutting protection: encryption at rest, blind indexes, access rules, audit, passwords."""
